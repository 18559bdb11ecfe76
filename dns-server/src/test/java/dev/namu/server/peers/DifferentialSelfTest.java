package dev.namu.server.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The comparison can fail: held to NSD, Knot differs where the two are known to differ
 * (NSD follows a CNAME into another zone it serves, Knot stops), and agrees with itself.
 */
class DifferentialSelfTest {

    @TempDir
    Path temp;

    private static String flags(LoopbackDnsClient client, PeerServer peer, Question q, boolean edns,
                                Transport transport) throws Exception {
        return ReplyDigest.of(q, client.send(peer.address(), LoopbackDnsClient.question(q.name(), q.type(), edns),
                transport)).flags();
    }

    @Test
    void findsAKnownDifferenceAndNoneAgainstItself() throws Exception {
        assumeTrue(NsdServer.binary().isPresent(), ToolLocator.missing("nsd", "nsd"));
        assumeTrue(KnotServer.binary().isPresent(), ToolLocator.missing("knotd", "knot"));
        ServedZones zones = ServedZones.copyOfResource("differential", temp.resolve("zones"));
        List<Question> questions = List.of(
                new Question(Name.fromString("toother.diff.test."), Type.A),
                new Question(Name.fromString("www.diff.test."), Type.A));
        try (DaemonPeer nsd = NsdServer.start(zones); DaemonPeer knot = KnotServer.start(zones)) {
            Differential.Outcome knotVsNsd = new Differential(knot, List.of(nsd), Duration.ofSeconds(30)).run(questions);
            assertTrue(knotVsNsd.differences().stream().anyMatch(d ->
                    d.question().equals(questions.get(0)) && d.aspect() == Differential.Aspect.ANSWER),
                    knotVsNsd.differences().toString());
            // For www both give the same rcode, flags and answer (NSD adds NS and glue to positive answers).
            assertFalse(knotVsNsd.differences().stream().anyMatch(d -> d.question().equals(questions.get(1))
                            && d.aspect() != Differential.Aspect.AUTHORITY && d.aspect() != Differential.Aspect.ADDITIONAL),
                    knotVsNsd.differences().toString());

            Differential.Outcome knotVsItself = new Differential(knot, List.of(knot), Duration.ofSeconds(30))
                    .run(questions);
            assertEquals(List.of(), knotVsItself.differences());
            assertEquals(10, knotVsItself.fullyCompared(), knotVsItself.summaryLine());

            Differential.Outcome peersDisagree = new Differential(knot, List.of(nsd, knot), Duration.ofSeconds(30))
                    .run(questions.subList(0, 1));
            assertEquals(List.of(), peersDisagree.differences(), "skipped where NSD and Knot disagree");

            // The zones hold RRsets too big for 512 and for 1232 bytes: the TC flag is compared.
            try (LoopbackDnsClient client = new LoopbackDnsClient(Duration.ofSeconds(2))) {
                Question big = new Question(Name.fromString("big.diff.test."), Type.TXT);
                Question medium = new Question(Name.fromString("medium.diff.test."), Type.TXT);
                assertEquals("tc opt v0", flags(client, nsd, big, true, Transport.UDP));
                assertEquals("opt v0", flags(client, nsd, big, true, Transport.TCP));
                assertEquals("opt v0", flags(client, knot, medium, true, Transport.UDP));
                assertEquals("tc", flags(client, knot, medium, false, Transport.UDP));
            }
            // all but the EDNS version 1 probe, which both answer with BADVERS alone
            assertEquals(4, peersDisagree.partlyCompared(), peersDisagree.summaryLine());
        }
    }
}
