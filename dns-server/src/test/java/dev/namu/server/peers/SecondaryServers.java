package dev.namu.server.peers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Knot, NSD and BIND as secondaries of one zone, on 127.0.0.1 and a free port each: the zone is
 * transferred from {@code primary} with a TSIG key (hmac-sha256), NOTIFY is accepted from the
 * primary's address signed with that key, and nothing is kept on disk between runs. Each is
 * started only once it answers the zone's SOA with AA, that is once its first transfer is done.
 */
public final class SecondaryServers {

    /** The primary a secondary transfers from: its address, the zone and the key. */
    public record Primary(int port, Name zone, Name keyName, String secret) {
        String key() {
            return keyName.toString();
        }
    }

    private SecondaryServers() {}

    /** knotd as a secondary; the caller must have checked {@link KnotServer#binary()}. */
    public static DaemonPeer knot(Primary primary) {
        Path knotd = KnotServer.binary().orElseThrow();
        return DaemonPeer.startWithRetries("knot-secondary", List.of(primary.zone()), (workDir, port) -> {
            Files.createDirectories(workDir.resolve("run"));
            Files.createDirectories(workDir.resolve("db"));
            Files.createDirectories(workDir.resolve("zones"));
            String conf = "server:\n"
                    + "  listen: 127.0.0.1@" + port + "\n"
                    + "  rundir: \"" + workDir.resolve("run") + "\"\n"
                    + "  pidfile: \"" + workDir.resolve("run/knot.pid") + "\"\n"
                    + "  udp-workers: 1\n  tcp-workers: 1\n  background-workers: 1\n"
                    + "log:\n  - target: stderr\n    any: info\n"
                    + "database:\n  storage: \"" + workDir.resolve("db") + "\"\n"
                    + "key:\n  - id: " + primary.key() + "\n    algorithm: hmac-sha256\n    secret: "
                    + primary.secret() + "\n"
                    + "remote:\n  - id: primary\n    address: 127.0.0.1@" + primary.port() + "\n    key: "
                    + primary.key() + "\n"
                    + "acl:\n  - id: notify-from-primary\n    address: 127.0.0.1\n    key: " + primary.key()
                    + "\n    action: notify\n"
                    + "zone:\n  - domain: \"" + primary.zone() + "\"\n"
                    + "    storage: \"" + workDir.resolve("zones") + "\"\n"
                    + "    zonefile-sync: -1\n"
                    + "    master: primary\n"
                    + "    acl: notify-from-primary\n";
            Path file = workDir.resolve("knot.conf");
            Files.writeString(file, conf, StandardCharsets.UTF_8);
            return List.of(knotd.toString(), "-c", file.toString());
        });
    }

    /**
     * knotd reading the catalog zone {@code catalog} (RFC 9432, {@code catalog-role: interpret}) from the
     * primary on 127.0.0.1 at {@code primaryPort}, unsigned, every member a secondary of the same
     * primary; started once it serves each of {@code members}. The caller must have
     * checked {@link KnotServer#binary()}.
     */
    public static DaemonPeer knotCatalogConsumer(int primaryPort, Name catalog, List<Name> members) {
        Path knotd = KnotServer.binary().orElseThrow();
        // the members alone: Knot keeps an interpreted catalog to itself
        return DaemonPeer.startWithRetries("knot-catalog", members, (workDir, port) -> {
            Files.createDirectories(workDir.resolve("run"));
            Files.createDirectories(workDir.resolve("db"));
            Files.createDirectories(workDir.resolve("zones"));
            String conf = "server:\n"
                    + "  listen: 127.0.0.1@" + port + "\n"
                    + "  rundir: \"" + workDir.resolve("run") + "\"\n"
                    + "  pidfile: \"" + workDir.resolve("run/knot.pid") + "\"\n"
                    + "  udp-workers: 1\n  tcp-workers: 1\n  background-workers: 1\n"
                    + "log:\n  - target: stderr\n    any: info\n"
                    + "database:\n  storage: \"" + workDir.resolve("db") + "\"\n"
                    + "remote:\n  - id: primary\n    address: 127.0.0.1@" + primaryPort + "\n"
                    + "acl:\n  - id: notify-from-primary\n    address: 127.0.0.1\n    action: notify\n"
                    + "template:\n  - id: member\n"
                    + "    storage: \"" + workDir.resolve("zones") + "\"\n"
                    + "    zonefile-sync: -1\n    master: primary\n    acl: notify-from-primary\n"
                    + "zone:\n  - domain: \"" + catalog + "\"\n"
                    + "    storage: \"" + workDir.resolve("zones") + "\"\n"
                    + "    zonefile-sync: -1\n    master: primary\n    acl: notify-from-primary\n"
                    + "    catalog-role: interpret\n    catalog-template: member\n";
            Path file = workDir.resolve("knot.conf");
            Files.writeString(file, conf, StandardCharsets.UTF_8);
            return List.of(knotd.toString(), "-c", file.toString());
        });
    }

    /** NSD as a secondary; the caller must have checked {@link NsdServer#binary()}. */
    public static DaemonPeer nsd(Primary primary) {
        Path nsd = NsdServer.binary().orElseThrow();
        return DaemonPeer.startWithRetries("nsd-secondary", List.of(primary.zone()), (workDir, port) -> {
            String conf = "server:\n"
                    + "  ip-address: 127.0.0.1@" + port + "\n"
                    + "  port: " + port + "\n"
                    + "  do-ip6: no\n  username: \"\"\n  chroot: \"\"\n"
                    + "  zonesdir: \"" + workDir + "\"\n"
                    + "  pidfile: \"" + workDir.resolve("nsd.pid") + "\"\n"
                    + "  database: \"\"\n"
                    + "  xfrdfile: \"" + workDir.resolve("xfrd.state") + "\"\n"
                    + "  zonelistfile: \"" + workDir.resolve("zone.list") + "\"\n"
                    + "  xfrdir: \"" + workDir + "\"\n"
                    + "  server-count: 1\n"
                    + "  verbosity: 2\n"
                    + "remote-control:\n  control-enable: no\n"
                    + "key:\n  name: \"" + primary.key() + "\"\n  algorithm: hmac-sha256\n  secret: \""
                    + primary.secret() + "\"\n"
                    + "zone:\n  name: \"" + primary.zone() + "\"\n"
                    + "  request-xfr: 127.0.0.1@" + primary.port() + " " + primary.key() + "\n"
                    + "  allow-notify: 127.0.0.1 " + primary.key() + "\n";
            Path file = workDir.resolve("nsd.conf");
            Files.writeString(file, conf, StandardCharsets.UTF_8);
            return List.of(nsd.toString(), "-d", "-c", file.toString());
        });
    }

    /** The named binary (BIND 9), if installed. */
    public static Optional<Path> namedBinary() {
        return ToolLocator.find("named");
    }

    /** BIND's named as a secondary; the caller must have checked {@link #namedBinary()}. */
    public static DaemonPeer named(Primary primary) {
        Path named = namedBinary().orElseThrow();
        return DaemonPeer.startWithRetries("named-secondary", List.of(primary.zone()), (workDir, port) -> {
            String conf = "options {\n"
                    + "  directory \"" + workDir + "\";\n"
                    + "  pid-file \"" + workDir.resolve("named.pid") + "\";\n"
                    + "  session-keyfile \"" + workDir.resolve("session.key") + "\";\n"
                    + "  managed-keys-directory \"" + workDir + "\";\n"
                    + "  listen-on port " + port + " { 127.0.0.1; };\n"
                    + "  listen-on-v6 { none; };\n"
                    + "  recursion no;\n  notify no;\n  dnssec-validation no;\n"
                    + "};\n"
                    + "controls { };\n"
                    + "key \"" + primary.key() + "\" { algorithm hmac-sha256; secret \"" + primary.secret() + "\"; };\n"
                    + "zone \"" + primary.zone() + "\" {\n"
                    + "  type secondary;\n"
                    + "  primaries port " + primary.port() + " { 127.0.0.1 key \"" + primary.key() + "\"; };\n"
                    + "  allow-notify { key \"" + primary.key() + "\"; };\n"
                    + "};\n";
            Path file = workDir.resolve("named.conf");
            Files.writeString(file, conf, StandardCharsets.UTF_8);
            // -g: foreground, every log line to stderr (the peer's log); -4: loopback IPv4 only
            return List.of(named.toString(), "-g", "-4", "-c", file.toString());
        });
    }
}
