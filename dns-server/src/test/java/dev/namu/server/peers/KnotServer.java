package dev.namu.server.peers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Knot DNS (knotd) serving a {@link ServedZones} directory on 127.0.0.1 and a free port: the zone
 * files are read only (zonefile-sync -1, no journal), semantic checks off so it serves what the
 * file says, one worker of each kind.
 */
public final class KnotServer {

    private KnotServer() {}

    /** The knotd binary, if installed. */
    public static Optional<Path> binary() {
        return ToolLocator.find("knotd");
    }

    /** Starts knotd; the caller must have checked {@link #binary()}. */
    public static DaemonPeer start(ServedZones zones) {
        Path knotd = binary().orElseThrow(() -> new IllegalStateException(ToolLocator.missing("knotd", "knot")));
        return DaemonPeer.startWithRetries("knot", zones, (workDir, port) -> {
            Files.createDirectories(workDir.resolve("run"));
            Files.createDirectories(workDir.resolve("db"));
            Path conf = workDir.resolve("knot.conf");
            Files.writeString(conf, config(zones, workDir, port), StandardCharsets.UTF_8);
            return List.of(knotd.toString(), "-c", conf.toString());
        });
    }

    static String config(ServedZones zones, Path workDir, int port) {
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n")
                .append("  listen: 127.0.0.1@").append(port).append('\n')
                .append("  rundir: \"").append(workDir.resolve("run")).append("\"\n")
                .append("  pidfile: \"").append(workDir.resolve("run/knot.pid")).append("\"\n")
                .append("  udp-workers: 1\n")
                .append("  tcp-workers: 1\n")
                .append("  background-workers: 1\n")
                .append("log:\n")
                .append("  - target: stderr\n")
                .append("    any: info\n")
                .append("database:\n")
                .append("  storage: \"").append(workDir.resolve("db")).append("\"\n")
                .append("template:\n")
                .append("  - id: default\n")
                .append("    storage: \"").append(zones.dir()).append("\"\n")
                .append("    zonefile-sync: -1\n")
                .append("    zonefile-load: whole\n")
                .append("    journal-content: none\n")
                .append("    semantic-checks: off\n")
                .append("zone:\n");
        for (Name origin : zones.origins()) {
            conf.append("  - domain: \"").append(origin.toString(true)).append("\"\n")
                    .append("    file: \"").append(ServedZones.fileName(origin)).append("\"\n");
        }
        return conf.toString();
    }
}
