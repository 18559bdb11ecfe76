package dev.namu.server.reload;

import dev.namu.server.api.ServerControl.ReloadReport;
import dev.namu.server.config.InitialZones;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.file.ZoneDirectory;
import dev.namu.zones.file.ZoneDirectoryLoad;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.registry.ZoneSet;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Re-reads the zone directory and has the zones' one writer ({@link ZoneEditor#serveFiles}) swap the
 * file zones in one registry update, so queries see the old set or the new one and none is dropped,
 * and no edit of a stored zone races with the reload. A file that fails keeps its previous version
 * serving (the problem is reported); a file that was removed stops being served; a zone in the store
 * wins over a file of the same name (it was imported, and edits live in the store).
 */
public final class ZoneReloader {

  private static final Logger log = LoggerFactory.getLogger(ZoneReloader.class);

  private final Optional<Path> zonesDir;
  private final ZoneRegistry registry;
  private final ZoneEditor editor;
  /** Origins currently served from files; replaced whole by each reload (reloads are serialized). */
  private final AtomicReference<Set<Name>> fileZones = new AtomicReference<>(Set.of());

  public ZoneReloader(Optional<Path> zonesDir, ZoneRegistry registry, ZoneEditor editor) {
    this.zonesDir = zonesDir;
    this.registry = registry;
    this.editor = editor;
  }

  /** Declares the zones the server loaded from files at start, so a reload knows what it replaces. */
  public void adoptServedFileZones() {
    Set<Name> files = new HashSet<>();
    for (ZoneSnapshot z : registry.current().zones()) {
      if (editor.zone(z.origin()).isEmpty()) {
        files.add(z.origin());
      }
    }
    fileZones.set(Set.copyOf(files));
  }

  public synchronized ReloadReport reload() {
    if (zonesDir.isEmpty()) {
      return new ReloadReport(0, List.of());
    }
    ZoneDirectoryLoad load = ZoneDirectory.loadAll(zonesDir.get());
    Set<Name> failed = new HashSet<>(load.failed());
    for (ZoneProblem p : load.problems()) {
      log.warn("zone reload: {}", p);
    }
    Set<Name> loaded = new HashSet<>();
    load.zones().forEach(z -> loaded.add(z.origin()));
    // A file that failed keeps its previous version serving; one that is gone stops being served.
    Set<Name> previous = fileZones.get();
    List<Name> dropped = previous.stream().filter(old -> !loaded.contains(old) && !failed.contains(old)).toList();
    ZoneEditor.FilesServed result = editor.serveFiles(load.zones(), dropped);
    for (Name origin : result.inStore()) {
      log.warn("zone file for {} ignored: the zone is in the store (edit it there, or delete it from the store)",
          origin);
    }
    Set<Name> next = new HashSet<>();
    for (ZoneSnapshot z : result.served()) {
      next.add(z.origin());
      InitialZones.logWarnings(z);
    }
    ZoneSet published = result.published();
    for (Name old : previous) {
      if (failed.contains(old) && !loaded.contains(old) && published.zone(old) != null
          && editor.zone(old).isEmpty()) {
        next.add(old);
        log.warn("zone {} keeps serving its previous version (serial {}) until its file is fixed",
            old, published.zone(old).serial());
      }
    }
    fileZones.set(Set.copyOf(next));
    log.info("zone reload: {} file zones loaded, {} problems", result.served().size(), load.problems().size());
    return new ReloadReport(result.served().size(), load.problems());
  }
}
