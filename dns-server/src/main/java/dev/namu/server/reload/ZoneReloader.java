package dev.namu.server.reload;

import dev.namu.server.api.ServerControl.ReloadReport;
import dev.namu.server.auth.LocallyServedZones;
import dev.namu.server.config.InitialZones;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.file.ZoneDirectory;
import dev.namu.zones.file.ZoneDirectoryLoad;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.registry.ZoneSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
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

  private final ZoneRegistry registry;
  private final ZoneEditor editor;
  /** Origins currently served from files; replaced whole by each reload (reloads are serialized). */
  private final AtomicReference<Set<Name>> fileZones = new AtomicReference<>(Set.of());

  /** The zone directory read by {@link #reload()}: the last one reloaded, at first namud's. */
  private volatile Optional<Path> zonesDir;

  public ZoneReloader(Optional<Path> zonesDir, ZoneRegistry registry, ZoneEditor editor) {
    this.zonesDir = zonesDir;
    this.registry = registry;
    this.editor = editor;
  }

  /** Declares the zones the server loaded from files at start, so a reload knows what it replaces. */
  /** The directory of the zone files served now (empty: the built-in zones). */
  public Optional<Path> zonesDir() {
    return zonesDir;
  }

  public void adoptServedFileZones() {
    Set<Name> files = new HashSet<>();
    for (ZoneSnapshot z : registry.current().zones()) {
      if (editor.zone(z.origin()).isEmpty()) {
        files.add(z.origin());
      }
    }
    fileZones.set(Set.copyOf(files));
  }

  /** Reloads the zone directory last reloaded (at first the one namud started with). */
  public ReloadReport reload() {
    return reload(zonesDir);
  }

  /**
   * Reloads the zone files of {@code dir} (empty: none, the zones served stay as they are). A zone
   * whose file holds what is served already keeps its snapshot; when no zone changed, the zone set
   * stays the one published, and its prepared answers stay.
   */
  public ReloadReport reload(Optional<Path> dir) {
    return reload(dir, LocallyServedZones.none());
  }

  /** As {@link #reload(Optional)}, serving the loopback zones {@code local} does not turn off. */
  public synchronized ReloadReport reload(Optional<Path> dir, LocallyServedZones local) {
    zonesDir = dir;
    if (dir.isEmpty()) {
      return new ReloadReport(0, List.of());
    }
    ZoneDirectoryLoad load = ZoneDirectory.loadAll(dir.get());
    Set<Name> failed = new HashSet<>(load.failed());
    for (ZoneProblem p : load.problems()) {
      log.warn("zone reload: {}", p);
    }
    // the loopback zones are served beside the files, as at start, unless a file covers them
    List<ZoneSnapshot> files = InitialZones.withLocalZones(load.zones(), local);
    Set<Name> loaded = new HashSet<>();
    files.forEach(z -> loaded.add(z.origin()));
    // A file that failed keeps its previous version serving; one that is gone stops being served.
    Set<Name> previous = fileZones.get();
    List<Name> dropped = previous.stream().filter(old -> !loaded.contains(old) && !failed.contains(old)).toList();
    // A zone whose file holds what is served goes to the writer as the snapshot served, so the
    // zone set stays the same object when nothing changed (ZoneSet.with) and keeps its prepared
    // answers; the writer still decides, under its lock, that a zone now in the store wins.
    ZoneSet before = registry.current();
    List<ZoneSnapshot> toServe = new ArrayList<>();
    Set<ZoneSnapshot> unchanged = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ZoneSnapshot z : files) {
      ZoneSnapshot served = before.zone(z.origin());
      if (previous.contains(z.origin()) && served != null && sameContent(served, z)) {
        unchanged.add(served);
        toServe.add(served);
      } else {
        toServe.add(z);
      }
    }
    ZoneEditor.FilesServed result = editor.serveFiles(toServe, dropped);
    for (Name origin : result.inStore()) {
      log.warn("zone file for {} ignored: the zone is in the store (edit it there, or delete it from the store)",
          origin);
    }
    List<ZoneSnapshot> servedNow = result.served();
    servedNow.stream().filter(z -> !unchanged.contains(z)).forEach(InitialZones::logWarnings);
    ZoneSet published = result.published();
    Set<Name> next = new HashSet<>();
    servedNow.forEach(z -> next.add(z.origin()));
    for (Name old : previous) {
      if (failed.contains(old) && !loaded.contains(old) && published.zone(old) != null
          && editor.zone(old).isEmpty()) {
        next.add(old);
        log.warn("zone {} keeps serving its previous version (serial {}) until its file is fixed",
            old, published.zone(old).serial());
      }
    }
    fileZones.set(Set.copyOf(next));
    Set<Name> fromFiles = new HashSet<>();
    load.zones().forEach(z -> fromFiles.add(z.origin()));
    int filesServed = (int) servedNow.stream().filter(z -> fromFiles.contains(z.origin())).count();
    log.info("zone reload: {} file zones loaded ({} unchanged), {} problems", filesServed,
        servedNow.stream().filter(z -> unchanged.contains(z) && fromFiles.contains(z.origin())).count(),
        load.problems().size());
    return new ReloadReport(filesServed, load.problems());
  }

  /**
   * The same records with the same TTLs (dnsjava's Record.equals leaves the TTL out), so a file read
   * again gives an equal zone and its snapshot, already served, can stay.
   */
  private static boolean sameContent(ZoneSnapshot a, ZoneSnapshot b) {
    List<org.xbill.DNS.Record> left = a.records();
    List<org.xbill.DNS.Record> right = b.records();
    if (left.size() != right.size()) {
      return false;
    }
    Map<org.xbill.DNS.Record, Long> ttls = new HashMap<>(left.size() * 2);
    for (org.xbill.DNS.Record r : left) {
      ttls.put(r, r.getTTL());
    }
    for (org.xbill.DNS.Record r : right) {
      Long ttl = ttls.get(r);
      if (ttl == null || ttl != r.getTTL()) {
        return false;
      }
    }
    return ttls.size() == right.size();
  }
}
