package dev.namu.server.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The harness itself: NSD and Knot start on a loopback port, answer from the test zones, and stop. */
class PeerServerTest {

    @TempDir
    Path temp;

    @Test
    void nsdServesTheZonesAndStops() throws Exception {
        assumeTrue(NsdServer.binary().isPresent(), ToolLocator.missing("nsd", "nsd"));
        servesAndStops(NsdServer::start);
    }

    @Test
    void knotServesTheZonesAndStops() throws Exception {
        assumeTrue(KnotServer.binary().isPresent(), ToolLocator.missing("knotd", "knot"));
        servesAndStops(KnotServer::start);
    }

    private void servesAndStops(Function<ServedZones, DaemonPeer> starter) throws Exception {
        ServedZones zones = ServedZones.copyOfResource("differential", temp.resolve("zones"));
        DaemonPeer peer = starter.apply(zones);
        long pid = peer.pid();
        try (LoopbackDnsClient client = new LoopbackDnsClient(Duration.ofSeconds(2))) {
            assertTrue(peer.address().getAddress().isLoopbackAddress(), peer.toString());
            for (Transport transport : Transport.values()) {
                Message reply = client.send(peer.address(),
                        LoopbackDnsClient.question(Name.fromString("www.diff.test."), Type.A), transport);
                assertEquals(Rcode.NOERROR, reply.getRcode(), peer + " " + transport + "\n" + reply);
                assertTrue(reply.getHeader().getFlag(Flags.AA), reply.toString());
                List<String> addresses = reply.getSection(Section.ANSWER).stream()
                        .filter(r -> r instanceof ARecord).map(r -> ((ARecord) r).getAddress().getHostAddress())
                        .sorted().toList();
                assertEquals(List.of("192.0.2.80", "192.0.2.81"), addresses, reply.toString());
            }
            Message refused = client.send(peer.address(),
                    LoopbackDnsClient.question(Name.fromString("www.example.com."), Type.A), Transport.UDP);
            assertEquals(Rcode.REFUSED, refused.getRcode(), refused.toString());
        } finally {
            peer.close();
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), peer + " still running");
    }

    @Test
    void queriesCoverEveryOwnerAndTheTrickyNames() throws Exception {
        ServedZones zones = ServedZones.copyOfResource("differential", temp.resolve("zones"));
        List<Question> questions = QuerySet.generate(zones, 1);
        assertEquals(questions, QuerySet.generate(zones, 1), "same seed, same questions");
        List<String> names = questions.stream().map(q -> q.name().toString().toLowerCase()).toList();
        for (String expected : List.of("a\\.b.esc.diff.test.", "\\032sp.esc.diff.test.", "\\255bin.esc.diff.test.",
                "*.wild.diff.test.", "zz-child.dn.diff.test.", "www-nx.diff.test.", "www.example.com.")) {
            assertTrue(names.contains(expected), expected + " not asked");
        }
        assertTrue(questions.stream().anyMatch(q -> q.type() == 65534), "TYPE65534 asked");
        assertTrue(questions.stream().anyMatch(q -> !q.name().toString().equals(q.name().toString().toLowerCase())),
                "some questions in mixed case");
    }
}
