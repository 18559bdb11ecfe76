package dev.namu.server.sources;

import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import dev.namu.zones.registry.ZoneRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Watches the hosts file and the lease file and publishes the zones their names make
 * ({@link LanZones}) through the zones' one writer, as zone files are ({@link ZoneEditor#serveFiles}).
 * A thread of its own (never a DNS event loop) looks at each file's modification time and size
 * every {@link #POLL_MILLIS} ms and reads a file again when either changed, so a change is served
 * within about that long; the same look drops a lease whose expiry time has passed. A zone of the
 * same name served from a file or the store wins: the generated one is not published (a warning).
 */
public final class LanSources implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LanSources.class);

  /** How often the files are looked at (and expiries checked): a change shows within this. */
  static final long POLL_MILLIS = 250;

  private final SourcesConfig config;
  private final Name domain;
  private final ZoneEditor editor;
  private final ZoneRegistry registry;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  /** Per file: its last stamp (modification time and size) and the names read from it. */
  private final Map<Path, Read> reads = new ConcurrentHashMap<>();
  /** The zones published last (only the poll thread writes these). */
  private List<ZoneSnapshot> published = List.of();
  private Set<Name> warned = new HashSet<>();
  private Optional<Instant> nextExpiry = Optional.empty();
  private long serial;

  private record Read(String stamp, List<DeviceName> names) {}

  private LanSources(SourcesConfig config, ZoneEditor editor, ZoneRegistry registry, Clock clock) {
    this.config = config;
    this.domain = config.domain().orElseThrow();
    this.editor = editor;
    this.registry = registry;
    this.clock = clock;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "namu-sources");
      t.setDaemon(true);
      return t;
    });
  }

  /** Reads the files once, publishes their zones, and watches them; empty when none is configured. */
  public static Optional<LanSources> start(SourcesConfig config, ZoneEditor editor, ZoneRegistry registry,
      Clock clock) {
    if (!config.enabled()) {
      return Optional.empty();
    }
    LanSources sources = new LanSources(config, editor, registry, clock);
    sources.poll();
    sources.thread.scheduleWithFixedDelay(sources::pollSafely, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    return Optional.of(sources);
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      // the next look tries again; the zones published stay as they were
      log.error("names of LAN devices: publishing failed: {}", e.toString(), e);
    }
  }

  private void poll() {
    boolean changed = false;
    for (Path file : files()) {
      String stamp = stamp(file);
      Read before = reads.get(file);
      if (before == null || !before.stamp().equals(stamp)) {
        reads.put(file, new Read(stamp, read(file, stamp)));
        changed = true;
      }
    }
    Instant now = clock.instant();
    if (changed || nextExpiry.map(e -> !e.isAfter(now)).orElse(false)) {
      publish(now);
    }
  }

  private List<Path> files() {
    List<Path> files = new ArrayList<>();
    config.hostsFile().ifPresent(files::add);
    config.leases().ifPresent(files::add);
    return files;
  }

  private static String stamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
    } catch (IOException e) {
      return "missing";
    }
  }

  private List<DeviceName> read(Path file, String stamp) {
    if (stamp.equals("missing")) {
      log.warn("{}: cannot be read (missing?); its names are not served until it is back", file);
      return List.of();
    }
    try {
      List<String> lines = SourceLines.read(file);
      return file.equals(config.hostsFile().orElse(null))
          ? HostsFile.parse(file, lines, domain)
          : LeaseFile.parse(file, lines, LeaseFile.Format.parse(config.leasesFormat()), domain);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      log.warn("{}: cannot be read: {}; its names are not served until it can", file, e.getMessage());
      return List.of();
    }
  }

  private void publish(Instant now) {
    List<DeviceName> live = new ArrayList<>();
    Optional<Instant> next = Optional.empty();
    for (Path file : files()) {
      for (DeviceName d : reads.getOrDefault(file, new Read("", List.of())).names()) {
        if (d.liveAt(now)) {
          live.add(d);
          if (d.expires().isPresent() && (next.isEmpty() || d.expires().get().isBefore(next.get()))) {
            next = d.expires();
          }
        }
      }
    }
    nextExpiry = next;
    serial = Math.max(serial + 1, now.getEpochSecond() & 0xffffffffL);
    List<ZoneSnapshot> zones;
    try {
      zones = LanZones.build(domain, live, serial);
    } catch (ZoneValidationException e) {
      log.error("names of LAN devices under {}: {}", domain, e.getMessage());
      return;
    }
    Set<ZoneSnapshot> ours = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    ours.addAll(published);
    List<ZoneSnapshot> toServe = new ArrayList<>();
    Set<Name> warnedNow = new HashSet<>();
    for (ZoneSnapshot z : zones) {
      ZoneSnapshot served = registry.current().zone(z.origin());
      if (served != null && !ours.contains(served)) {
        warnedNow.add(z.origin());
        if (!warned.contains(z.origin())) {
          log.warn("names of LAN devices: zone {} is served already (a zone file or the store), which wins;"
              + " its generated records are left out", z.origin());
        }
      } else {
        toServe.add(z);
      }
    }
    warned = warnedNow;
    Set<Name> now2 = new HashSet<>();
    toServe.forEach(z -> now2.add(z.origin()));
    List<Name> dropped = published.stream().map(ZoneSnapshot::origin).filter(o -> !now2.contains(o)).toList();
    published = editor.serveFiles(toServe, dropped).served();
    log.debug("names of LAN devices: {} names in {} zones", live.size(), published.size());
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
