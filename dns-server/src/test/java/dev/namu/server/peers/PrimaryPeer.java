package dev.namu.server.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Name;

/**
 * Knot or NSD as the primary of zones namud transfers: the zone files kept (Knot computes the
 * difference of a reloaded file into its journal, so it offers IXFR), transfers allowed and NOTIFY
 * sent to namud, both with one TSIG key.
 */
public final class PrimaryPeer implements AutoCloseable {
  /** The TSIG key primary and secondary share. */
  public static final String KEY = "xfr-key.";
  public static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";

  private final DaemonPeer daemon;
  private final String kind;
  private final Path confDir;

  private PrimaryPeer(DaemonPeer daemon, String kind, Path confDir) {
    this.daemon = daemon;
    this.kind = kind;
    this.confDir = confDir;
  }

  public static PrimaryPeer knot(ServedZones zones, InetSocketAddress notify) {
    Path knotd = KnotServer.binary().orElseThrow();
    Path[] conf = new Path[1];
    DaemonPeer d = DaemonPeer.startWithRetries("knot", zones, (workDir, port) -> {
      Files.createDirectories(workDir.resolve("run"));
      Files.createDirectories(workDir.resolve("db"));
      conf[0] = workDir.resolve("knot.conf");
      StringBuilder c = new StringBuilder()
          .append("server:\n  listen: 127.0.0.1@").append(port).append('\n')
          .append("  rundir: \"").append(workDir.resolve("run")).append("\"\n")
          .append("  pidfile: \"").append(workDir.resolve("run/knot.pid")).append("\"\n")
          .append("  udp-workers: 1\n  tcp-workers: 1\n  background-workers: 1\n")
          .append("log:\n  - target: stderr\n    any: info\n")
          .append("control:\n  listen: \"").append(workDir.resolve("run/knot.sock")).append("\"\n")
          .append("database:\n  storage: \"").append(workDir.resolve("db")).append("\"\n")
          .append("key:\n  - id: ").append(KEY).append("\n    algorithm: hmac-sha256\n    secret: ")
          .append(SECRET).append('\n')
          .append("remote:\n  - id: namud\n    address: 127.0.0.1@").append(notify.getPort())
          .append("\n    key: ").append(KEY).append('\n')
          .append("acl:\n  - id: transfer\n    address: 127.0.0.0/8\n    key: ").append(KEY)
          .append("\n    action: transfer\n")
          .append("template:\n  - id: default\n    storage: \"").append(zones.dir()).append("\"\n")
          .append("    zonefile-sync: -1\n")
          // a reloaded file's difference goes to the journal: IXFR from the serial before (Knot docs)
          .append("    zonefile-load: difference\n    journal-content: changes\n")
          .append("    semantic-checks: off\n    notify: namud\n    acl: transfer\n")
          .append("zone:\n");
      for (Name origin : zones.origins()) {
        c.append("  - domain: \"").append(origin.toString(true)).append("\"\n")
            .append("    file: \"").append(ServedZones.fileName(origin)).append("\"\n");
      }
      Files.writeString(conf[0], c.toString(), StandardCharsets.UTF_8);
      return List.of(knotd.toString(), "-c", conf[0].toString());
    });
    return new PrimaryPeer(d, "knot", conf[0]);
  }

  public static PrimaryPeer nsd(ServedZones zones, InetSocketAddress notify) {
    Path nsd = NsdServer.binary().orElseThrow();
    DaemonPeer d = DaemonPeer.startWithRetries("nsd", zones, (workDir, port) -> {
      StringBuilder c = new StringBuilder()
          .append("server:\n  ip-address: 127.0.0.1@").append(port).append('\n')
          .append("  port: ").append(port).append('\n')
          .append("  do-ip6: no\n  username: \"\"\n  chroot: \"\"\n")
          .append("  zonesdir: \"").append(zones.dir()).append("\"\n")
          .append("  pidfile: \"").append(workDir.resolve("nsd.pid")).append("\"\n")
          .append("  database: \"\"\n")
          .append("  xfrdfile: \"").append(workDir.resolve("xfrd.state")).append("\"\n")
          .append("  xfrdir: \"").append(workDir).append("\"\n")
          .append("  zonelistfile: \"").append(workDir.resolve("zone.list")).append("\"\n")
          .append("  logfile: \"").append(workDir.resolve("nsd.log")).append("\"\n")
          .append("  server-count: 1\n  verbosity: 2\n")
          .append("remote-control:\n  control-enable: no\n")
          .append("key:\n  name: ").append(KEY).append("\n  algorithm: hmac-sha256\n  secret: \"")
          .append(SECRET).append("\"\n");
      for (Name origin : zones.origins()) {
        c.append("zone:\n  name: \"").append(origin.toString(true)).append("\"\n")
            .append("  zonefile: \"").append(ServedZones.fileName(origin)).append("\"\n")
            .append("  provide-xfr: 127.0.0.0/8 ").append(KEY).append('\n')
            .append("  notify: 127.0.0.1@").append(notify.getPort()).append(' ').append(KEY).append('\n');
      }
      Path conf = workDir.resolve("nsd.conf");
      Files.writeString(conf, c.toString(), StandardCharsets.UTF_8);
      return List.of(nsd.toString(), "-d", "-c", conf.toString());
    });
    return new PrimaryPeer(d, "nsd", null);
  }

  public InetSocketAddress address() {
    return daemon.address();
  }

  public String name() {
    return kind;
  }

  public String log() {
    return daemon.log();
  }

  /** Reads the changed zone files again: knotc zone-reload for Knot, SIGHUP for NSD (its reload). */
  public void reload() {
    List<String> command = kind.equals("knot")
        ? List.of(Path.of(KnotServer.binary().orElseThrow().getParent().toString(), "knotc").toString(), "-c",
            confDir.toString(), "zone-reload")
        : List.of("kill", "-HUP", Long.toString(daemon.pid()));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(command + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    daemon.close();
  }
}
