package dev.namu.server.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A peer server run as a separate daemon process on 127.0.0.1 with its configuration in a
 * private temp directory. Each kind of peer ({@link KnotServer}, {@link NsdServer}) writes the
 * configuration and names the command line.
 */
public final class DaemonPeer implements PeerServer {

    /** How long a daemon may take from exec to answering every zone. */
    static final Duration STARTUP_LIMIT = Duration.ofSeconds(20);
    /** Port races with other processes are retried with a fresh port this many times. */
    private static final int START_ATTEMPTS = 3;

    private final String name;
    private final InetSocketAddress address;
    private final DaemonProcess process;
    private final Path workDir;

    private DaemonPeer(String name, InetSocketAddress address, DaemonProcess process, Path workDir) {
        this.name = name;
        this.address = address;
        this.process = process;
        this.workDir = workDir;
    }

    /** What a concrete peer contributes: its configuration and command for a given port. */
    interface Launch {
        /** Writes the configuration for {@code port} into {@code workDir}, returns the command line. */
        List<String> prepare(Path workDir, int port) throws IOException;
    }

    /** Starts the daemon, retrying with a new port when it does not come up (a port race). */
    static DaemonPeer startWithRetries(String name, ServedZones zones, Launch launch) {
        return startWithRetries(name, zones.origins(), launch);
    }

    /** Starts the daemon, retrying with a new port, until it answers for every zone of {@code origins}. */
    static DaemonPeer startWithRetries(String name, List<org.xbill.DNS.Name> origins, Launch launch) {
        StringBuilder failures = new StringBuilder();
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path workDir;
            try {
                workDir = Files.createTempDirectory("namu-" + name + "-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temp directory for " + name, e);
            }
            int port = LoopbackPort.pick();
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            DaemonProcess process;
            try {
                List<String> command = launch.prepare(workDir, port);
                process = DaemonProcess.start(name, command, workDir, workDir.resolve(name + ".log"));
            } catch (IOException e) {
                deleteTree(workDir);
                throw new UncheckedIOException("cannot configure " + name + " in " + workDir, e);
            }
            if (process.awaitAnswering(address, origins, STARTUP_LIMIT)) {
                return new DaemonPeer(name, address, process, workDir);
            }
            failures.append("\n--- attempt ").append(attempt).append(" on port ").append(port)
                    .append(", log:\n").append(process.logText());
            process.stop();
            deleteTree(workDir);
        }
        throw new IllegalStateException(name + " did not answer SOA queries for " + origins
                + " within " + STARTUP_LIMIT.toSeconds() + "s:" + failures);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /** The daemon's log so far (for diagnosing a failed comparison). */
    public String log() {
        return process.logText();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.stop();
        deleteTree(workDir);
    }

    @Override
    public String toString() {
        return name + "@" + address.getAddress().getHostAddress() + "#" + address.getPort() + " (" + process + ")";
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temp directory is harmless; the daemon may still have been writing to it.
        }
    }
}
