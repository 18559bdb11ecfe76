package dev.namu.server.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer daemon started by a test: its process, its log file, and the readiness and stop logic.
 * Only the process started here and its own descendants are ever signalled, by PID.
 */
record DaemonProcess(String name, Process process, Path log) {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonProcess.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(200);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /** Starts {@code command} in {@code workDir}, stdout and stderr appended to {@code log}. */
    static DaemonProcess start(String name, List<String> command, Path workDir, Path log) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            LOG.debug("started {} pid {}: {}", name, process.pid(), command);
            return new DaemonProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits until the daemon answers an SOA query for every zone with NOERROR and AA (Knot loads
     * zones after it starts listening), or until {@code max} has passed or the process has exited.
     */
    boolean awaitAnswering(InetSocketAddress address, List<Name> origins, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        try (LoopbackDnsClient client = new LoopbackDnsClient(PROBE_TIMEOUT)) {
            int ready = 0;
            while (System.nanoTime() < deadline && process.isAlive()) {
                Name origin = origins.get(ready);
                try {
                    Message reply = client.send(address, LoopbackDnsClient.question(origin, Type.SOA), Transport.UDP);
                    if (reply.getRcode() == Rcode.NOERROR && reply.getHeader().getFlag(Flags.AA)) {
                        ready++;
                        if (ready == origins.size()) {
                            return true;
                        }
                        continue;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    /** The daemon's log, for failure messages. */
    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM to the daemon and its children, then SIGKILL to any left after a grace period. */
    void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} pid {} ignored SIGTERM; killing it", name, process.pid());
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    @Override
    public String toString() {
        return name + " pid " + process.pid();
    }
}
