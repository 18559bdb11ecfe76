package dev.namu.server.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.DnsWire;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Unbound, validating with the signed test zones' key-signing keys as its trust anchors and namud
 * as the zones' only server, finds namud's answers secure (AD), or insecure where an opt-out proof
 * says no more, never bogus: positive, NXDOMAIN, NODATA and
 * wildcard answers, from an NSEC zone and two NSEC3 zones, one with opt-out (RFC 4035 3.1, RFC
 * 5155 7.2). Before namud served the zones' DNSSEC records, Unbound found these answers bogus.
 */
class UnboundValidatesSignedZonesTest {

    private static final int TIMEOUT_MS = 10_000;

    /** (name, type, rcode) asked in each zone; none is below a delegation, whose servers are not on loopback. */
    private static final List<String> QUESTIONS = List.of(
            "www A NOERROR", "alias A NOERROR", "nothere A NXDOMAIN", "www MX NOERROR", "b.ent TXT NOERROR",
            "x.wild A NOERROR", "x.wild MX NOERROR", "insecure DS NOERROR", "secure DS NOERROR", "tonx A NXDOMAIN");

    /**
     * The names of {@link #QUESTIONS} whose proof is an NSEC3 that covers the next closer name. In
     * the opt-out zone that NSEC3 has the opt-out flag, so it cannot tell an unsigned delegation
     * from nothing, and a validator finds the answer insecure (RFC 5155 9.2), not bogus.
     */
    private static final Set<String> COVERED = Set.of("nothere", "x.wild", "tonx");

    @TempDir
    Path dir;

    @Test
    void unboundFindsNamudsAnswersFromSignedZonesSecure() throws Exception {
        var unbound = ToolLocator.find("unbound");
        assumeTrue(unbound.isPresent(), ToolLocator.missing("unbound", "unbound"));
        ServedZones zones = ServedZones.copyOfResource("differential-signed", dir.resolve("zones"));
        try (NamudPeer namud = NamudPeer.start(zones)) {
            int port = freeLoopbackPort();
            Path conf = writeConfig(zones, namud.address(), port);
            Process p = new ProcessBuilder(unbound.get().toString(), "-d", "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("unbound.out").toFile())
                    .start();
            try {
                InetSocketAddress ub = new InetSocketAddress("127.0.0.1", port);
                awaitAnswering(p, ub);
                List<String> wrong = new ArrayList<>();
                for (Name origin : zones.origins()) {
                    for (String q : QUESTIONS) {
                        String[] parts = q.split(" ");
                        String name = parts[0] + "." + origin;
                        Message reply = ask(ub, DnsWire.queryEdns(name, Type.value(parts[1]), 1232, true));
                        String got = Rcode.string(reply.getRcode()) + (reply.getHeader().getFlag(Flags.AD) ? " ad" : "");
                        boolean optedOut = origin.toString().equals("optout.test.") && COVERED.contains(parts[0]);
                        String expected = parts[2] + (optedOut ? "" : " ad");
                        if (!got.equals(expected)) {
                            wrong.add(name + " " + parts[1] + ": expected " + expected + ", got " + got);
                        }
                    }
                }
                assertEquals(List.of("optout.test.", "signed.test.", "signed3.test."),
                        zones.origins().stream().map(Name::toString).toList(), "the zones asked");
                assertEquals(List.of(), wrong, () -> String.join("\n", wrong) + "\nunbound log:\n" + log());
            } finally {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /**
     * Unbound validating (validator, iterator) with each zone's KSK as a trust anchor, sent to namud
     * for the signed zones; every other name goes to a loopback port nobody listens on, so nothing
     * leaves the machine.
     */
    private Path writeConfig(ServedZones zones, InetSocketAddress namud, int port) throws IOException {
        StringBuilder c = new StringBuilder();
        c.append("server:\n")
                .append("  interface: 127.0.0.1\n")
                .append("  port: ").append(port).append('\n')
                .append("  do-ip6: no\n")
                .append("  do-not-query-localhost: no\n")
                .append("  outgoing-interface: 127.0.0.1\n")
                .append("  username: \"\"\n")
                .append("  chroot: \"\"\n")
                .append("  directory: \"").append(dir).append("\"\n")
                .append("  pidfile: \"").append(dir.resolve("unbound.pid")).append("\"\n")
                .append("  use-syslog: no\n")
                .append("  logfile: \"\"\n")
                .append("  verbosity: 1\n")
                .append("  val-log-level: 2\n")
                .append("  module-config: \"validator iterator\"\n")
                .append("  access-control: 127.0.0.0/8 allow\n")
                // Unbound answers the special-use TLD test. itself (RFC 6761 6.2)
                .append("  local-zone: \"test.\" nodefault\n");
        for (Name origin : zones.origins()) {
            for (String line : Files.readAllLines(zones.file(origin), StandardCharsets.UTF_8)) {
                String[] f = line.trim().split("\\s+");
                // the key-signing key: DNSKEY with flags 257 (RFC 4034 2.1.1, SEP bit)
                if (f.length > 5 && f[3].equals("DNSKEY") && f[4].equals("257")) {
                    c.append("  trust-anchor: \"").append(line.trim().replaceAll("\\s+", " ")).append("\"\n");
                }
            }
        }
        for (Name origin : zones.origins()) {
            c.append("stub-zone:\n  name: \"").append(origin).append("\"\n")
                    .append("  stub-addr: 127.0.0.1@").append(namud.getPort()).append('\n');
        }
        c.append("stub-zone:\n  name: \".\"\n  stub-addr: 127.0.0.1@").append(freeLoopbackPort()).append('\n');
        Path conf = dir.resolve("unbound.conf");
        Files.writeString(conf, c.toString());
        assertTrue(c.toString().contains("trust-anchor"), "no KSK found in the signed zones: " + c);
        return conf;
    }

    private Message ask(InetSocketAddress server, Message query) throws IOException {
        byte[] reply = DnsWire.udp(server, query.toWire(), TIMEOUT_MS);
        if (reply == null) {
            reply = DnsWire.udp(server, query.toWire(), TIMEOUT_MS); // a stub asks again
        }
        assertNotNull(reply, () -> "no reply from unbound to " + query.getQuestion() + "\nunbound log:\n" + log());
        return new Message(reply);
    }

    private void awaitAnswering(Process p, InetSocketAddress address) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Message probe = DnsWire.query("signed.test.", Type.SOA);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), () -> "unbound exited: " + log());
            if (DnsWire.udp(address, probe.toWire(), 200) != null) {
                return;
            }
        }
        throw new AssertionError("unbound did not answer on " + address + ": " + log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("unbound.out"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }
}
