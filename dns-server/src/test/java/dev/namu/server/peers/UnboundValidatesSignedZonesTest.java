package dev.namu.server.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
        ServedZones zones = ServedZones.copyOfResource("differential-signed", dir.resolve("zones"));
        int port = UnboundPeer.freePort("127.0.0.1");
        try (NamudPeer namud = NamudPeer.start(zones);
                UnboundPeer unbound = UnboundPeer.start(dir, config(zones, namud.address(), port),
                        new InetSocketAddress("127.0.0.1", port), "signed.test.")) {
            List<String> wrong = new ArrayList<>();
            for (Name origin : zones.origins()) {
                for (String q : QUESTIONS) {
                    String[] parts = q.split(" ");
                    String name = parts[0] + "." + origin;
                    Message reply = ask(unbound, DnsWire.queryEdns(name, Type.value(parts[1]), 1232, true));
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
            assertEquals(List.of(), wrong, () -> String.join("\n", wrong) + "\nunbound log:\n" + unbound.log());
        }
    }

    /**
     * Unbound validating (validator, iterator) with each zone's KSK as a trust anchor, sent to namud
     * for the signed zones; every other name goes to a loopback port nobody listens on, so nothing
     * leaves the machine.
     */
    private StringBuilder config(ServedZones zones, InetSocketAddress namud, int port) throws IOException {
        StringBuilder c = UnboundPeer.config(dir, "127.0.0.1", port)
                .append("  val-log-level: 2\n")
                .append("  module-config: \"validator iterator\"\n");
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
        c.append(UnboundPeer.deadRootStub("127.0.0.1"));
        assertTrue(c.toString().contains("trust-anchor"), "no KSK found in the signed zones: " + c);
        return c;
    }

    private Message ask(UnboundPeer unbound, Message query) throws IOException {
        byte[] reply = DnsWire.udp(unbound.address(), query.toWire(), TIMEOUT_MS);
        if (reply == null) {
            reply = DnsWire.udp(unbound.address(), query.toWire(), TIMEOUT_MS); // a stub asks again
        }
        assertNotNull(reply, () -> "no reply from unbound to " + query.getQuestion() + "\nunbound log:\n" + unbound.log());
        return new Message(reply);
    }
}
