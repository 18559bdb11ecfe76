package dev.namu.server.peers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * BIND 9 {@code named} serving a {@link ServedZones} directory on 127.0.0.1 and a free port,
 * authoritative only, in the foreground with every log line (the query log included) on its
 * standard error, which {@link DaemonPeer#log()} reads. BIND answers DNS cookies by default
 * (RFC 7873, RFC 9018 server cookies), and its query log marks each query's cookie: {@code K} a
 * client cookie alone, {@code V} a client cookie with a valid server cookie.
 */
public final class BindServer {

    private BindServer() {}

    /** The named binary, if installed. */
    public static Optional<Path> binary() {
        return ToolLocator.find("named");
    }

    /** Starts named; the caller must have checked {@link #binary()}. */
    public static DaemonPeer start(ServedZones zones) {
        Path named = binary().orElseThrow(() -> new IllegalStateException(ToolLocator.missing("named", "bind9")));
        return DaemonPeer.startWithRetries("named", zones, (workDir, port) -> {
            Path conf = workDir.resolve("named.conf");
            Files.writeString(conf, config(zones, workDir, port), StandardCharsets.UTF_8);
            // -g: foreground, every log to stderr; -4: no IPv6 sockets
            return List.of(named.toString(), "-g", "-4", "-c", conf.toString());
        });
    }

    static String config(ServedZones zones, Path workDir, int port) {
        StringBuilder conf = new StringBuilder();
        conf.append("options {\n")
                .append("  directory \"").append(workDir).append("\";\n")
                .append("  pid-file \"").append(workDir.resolve("named.pid")).append("\";\n")
                .append("  session-keyfile \"").append(workDir.resolve("session.key")).append("\";\n")
                .append("  managed-keys-directory \"").append(workDir).append("\";\n")
                .append("  listen-on port ").append(port).append(" { 127.0.0.1; };\n")
                .append("  listen-on-v6 { none; };\n")
                .append("  recursion no;\n")
                .append("  dnssec-validation no;\n")
                .append("  querylog yes;\n")
                .append("};\n")
                .append("controls { };\n");
        for (Name origin : zones.origins()) {
            conf.append("zone \"").append(origin.toString(true)).append("\" {\n")
                    .append("  type primary;\n")
                    .append("  file \"").append(zones.dir().resolve(ServedZones.fileName(origin))).append("\";\n")
                    .append("};\n");
        }
        return conf.toString();
    }
}
