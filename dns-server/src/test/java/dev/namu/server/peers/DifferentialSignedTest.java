package dev.namu.server.peers;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * namud serves zones signed by dnssec-signzone (one with NSEC, one with NSEC3) as NSD and Knot do,
 * wherever those two agree: asked with and without DO, over UDP and TCP, every RRset carries its
 * RRSIGs and every negative answer, wildcard answer and referral its NSEC or NSEC3 proof (RFC 4035
 * 3.1, RFC 5155 7.2). The zones are checked in (src/test/resources/differential-signed, made by its
 * sign.sh), so the test needs no signer. The report is also written to
 * {@code target/differential-signed-report.txt}.
 */
class DifferentialSignedTest {

    private static final long SEED = 20261205L;
    private static final Duration BUDGET = Duration.ofMinutes(3);
    /** The DNSSEC types, asked at every owner name besides {@link QuerySet#OWNER_TYPES}. */
    private static final List<Integer> DNSSEC_TYPES =
            List.of(Type.RRSIG, Type.NSEC, Type.NSEC3, Type.DNSKEY, Type.NSEC3PARAM);

    @TempDir
    Path temp;

    @Test
    void namudServesSignedZonesAsNsdAndKnotDoWhereTheyAgree() throws Exception {
        boolean haveNsd = NsdServer.binary().isPresent();
        boolean haveKnot = KnotServer.binary().isPresent();
        assumeTrue(haveNsd || haveKnot, "neither nsd nor knotd is installed (Debian packages nsd, knot; "
                + ".ci/run installs them): no reference to compare namud with");
        ServedZones zones = ServedZones.copyOfResource("differential-signed", temp.resolve("zones"));
        List<Question> questions = QuerySet.generate(zones, SEED, DNSSEC_TYPES);
        List<PeerServer> reference = new ArrayList<>();
        try (NamudPeer namud = NamudPeer.start(zones)) {
            try {
                if (haveNsd) {
                    reference.add(NsdServer.start(zones));
                }
                if (haveKnot) {
                    reference.add(KnotServer.start(zones));
                }
                Differential.Outcome outcome = new Differential(namud, reference, BUDGET, List.of(),
                        Differential.Probe.SIGNED).run(questions);
                String report = DifferentialTest.report(outcome, reference);
                System.out.println(report);
                Path target = Path.of("target");
                if (Files.isDirectory(target)) {
                    Files.writeString(target.resolve("differential-signed-report.txt"), report, StandardCharsets.UTF_8);
                }
                // Guard against a comparison that silently compares nothing.
                assertTrue(outcome.fullyCompared() > outcome.exchanges() / 2,
                        "too few exchanges compared on every aspect: " + outcome.summaryLine());
                if (!outcome.differences().isEmpty()) {
                    fail(outcome.summaryLine() + "\n" + outcome.differences().stream()
                            .map(Differential.Difference::toString).collect(Collectors.joining("\n")));
                }
            } finally {
                reference.forEach(PeerServer::close);
            }
        }
    }
}
