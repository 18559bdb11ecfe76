package dev.namu.server.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Name;

/**
 * NSD serving a {@link ServedZones} directory on 127.0.0.1 and a free port: no database, no
 * privilege drop, no control socket, response rate limiting off, one server process, in the foreground.
 */
public final class NsdServer {

    private NsdServer() {}

    /** The nsd binary, if installed. */
    public static Optional<Path> binary() {
        return ToolLocator.find("nsd");
    }

    /** Starts NSD; the caller must have checked {@link #binary()}. */
    public static DaemonPeer start(ServedZones zones) {
        Path nsd = binary().orElseThrow(() -> new IllegalStateException(ToolLocator.missing("nsd", "nsd")));
        boolean rrl = compiledWithRrl(nsd);
        return DaemonPeer.startWithRetries("nsd", zones, (workDir, port) -> {
            Path conf = workDir.resolve("nsd.conf");
            Files.writeString(conf, config(zones, workDir, port, rrl), StandardCharsets.UTF_8);
            return List.of(nsd.toString(), "-d", "-c", conf.toString());
        });
    }

    static String config(ServedZones zones, Path workDir, int port, boolean rrl) {
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n")
                .append("  ip-address: 127.0.0.1@").append(port).append('\n')
                .append("  port: ").append(port).append('\n')
                .append("  do-ip6: no\n")
                .append("  username: \"\"\n")
                .append("  chroot: \"\"\n")
                .append("  zonesdir: \"").append(zones.dir()).append("\"\n")
                .append("  pidfile: \"").append(workDir.resolve("nsd.pid")).append("\"\n")
                .append("  database: \"\"\n")
                .append("  xfrdfile: \"").append(workDir.resolve("xfrd.state")).append("\"\n")
                .append("  zonelistfile: \"").append(workDir.resolve("zone.list")).append("\"\n")
                .append("  logfile: \"").append(workDir.resolve("nsd.log")).append("\"\n")
                .append("  server-count: 1\n")
                .append("  verbosity: 1\n");
        if (rrl) {
            // Rate limiting would turn a burst of test queries into truncated or dropped replies.
            conf.append("  rrl-ratelimit: 0\n");
        }
        conf.append("remote-control:\n  control-enable: no\n");
        for (Name origin : zones.origins()) {
            conf.append("zone:\n")
                    .append("  name: \"").append(origin.toString(true)).append("\"\n")
                    .append("  zonefile: \"").append(ServedZones.fileName(origin)).append("\"\n");
        }
        return conf.toString();
    }

    /** The rrl-* options exist only when NSD was configured with --enable-ratelimit. */
    private static boolean compiledWithRrl(Path nsd) {
        try {
            Process version = new ProcessBuilder(nsd.toString(), "-v").redirectErrorStream(true).start();
            String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            version.waitFor(10, TimeUnit.SECONDS);
            return text.contains("--enable-ratelimit");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + nsd + " -v", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
