package dev.namu.server.peers;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * namud answers the generated questions over the differential zones as NSD and Knot do, wherever
 * those two agree (issue 2, "Must show"). The report is also written to
 * {@code target/differential-report.txt}.
 */
class DifferentialTest {

    private static final long SEED = 20261124L;
    private static final Duration BUDGET = Duration.ofMinutes(3);
    /**
     * Where namud answers otherwise than NSD and Knot on purpose (dev.namu.server.pipeline.ZoneRouter
     * decides these before any lookup). Each is listed in the report with its count; an entry that
     * no longer occurs fails the test so the list cannot go stale. Empty: namud answers every
     * generated question as NSD and Knot do where they agree.
     */
    static final List<Differential.Divergence> DIVERGENCES = List.of();

    @TempDir
    Path temp;

    @Test
    void namudAnswersAsNsdAndKnotDoWhereTheyAgree() throws Exception {
        compare(ServedZones.copyOfResource("differential", temp.resolve("zones")), "differential-report.txt");
    }

    /** The example zones namud serves when started without --zones (home.lan and its reverse zone). */
    @Test
    void namudAnswersAsNsdAndKnotDoOnTheExampleZones() throws Exception {
        compare(ServedZones.copyOfResource("dev/namu/server/defaults/zones", temp.resolve("example")),
                "differential-example-report.txt");
    }

    /**
     * The zones module's own tricky zones (written by another author), less the files NSD cannot
     * read: NSD does not implement BIND's $GENERATE.
     */
    @Test
    void namudAnswersAsNsdAndKnotDoOnTheZonesModuleZones() throws Exception {
        Path source = ProjectRoot.find().resolve("zones/src/test/resources/zones/good");
        assumeTrue(Files.isDirectory(source), "no " + source);
        Path target = Files.createDirectories(temp.resolve("zones-module"));
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".zone")).toList()) {
                if (!Files.readString(file, StandardCharsets.UTF_8).contains("$GENERATE")) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
        }
        compare(ServedZones.in(target), "differential-zones-module-report.txt");
    }

    private void compare(ServedZones zones, String reportFile) throws Exception {
        boolean haveNsd = NsdServer.binary().isPresent();
        boolean haveKnot = KnotServer.binary().isPresent();
        assumeTrue(haveNsd || haveKnot, "neither nsd nor knotd is installed (Debian packages nsd, knot; "
                + ".ci/run installs them): no reference to compare namud with");
        List<Question> questions = QuerySet.generate(zones, SEED);
        List<PeerServer> reference = new ArrayList<>();
        try (NamudPeer namud = NamudPeer.start(zones)) {
            try {
                if (haveNsd) {
                    reference.add(NsdServer.start(zones));
                }
                if (haveKnot) {
                    reference.add(KnotServer.start(zones));
                }
                Differential.Outcome outcome = new Differential(namud, reference, BUDGET, DIVERGENCES)
                        .run(questions);
                String report = "zones: " + zones.origins() + "\n" + report(outcome, reference);
                System.out.println(report);
                writeReport(reportFile, report);
                // Guard against a comparison that silently compares nothing.
                assertTrue(outcome.fullyCompared() > outcome.exchanges() / 2,
                        "too few exchanges compared on every aspect: " + outcome.summaryLine());
                List<Differential.Divergence> stale = outcome.divergences().entrySet().stream()
                        .filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
                assertTrue(stale.isEmpty(), "namud now answers these as NSD and Knot do; remove them from "
                        + "DifferentialTest.DIVERGENCES: " + stale);
                if (!outcome.differences().isEmpty()) {
                    fail(outcome.summaryLine() + "\n" + outcome.differences().stream()
                            .map(Differential.Difference::toString).collect(Collectors.joining("\n")));
                }
            } finally {
                reference.forEach(PeerServer::close);
            }
        }
    }

    static String report(Differential.Outcome outcome, List<PeerServer> reference) {
        StringBuilder text = new StringBuilder();
        text.append(outcome.summaryLine()).append('\n');
        if (reference.size() < 2) {
            text.append("note: only ").append(reference.get(0).name())
                    .append(" is installed; namud is held to it alone\n");
        }
        text.append("reference peers disagree (a few of each aspect):\n");
        outcome.peerDisagreementSamples().forEach(s -> text.append("  ").append(s).append('\n'));
        text.append("where the peers disagree and namud sides with neither (not failures; worth a look): ")
                .append(outcome.sidesWithNoPeer().size()).append('\n');
        outcome.sidesWithNoPeer().forEach(s -> text.append("  ").append(s).append('\n'));
        text.append("documented divergences (namud differs on purpose):\n");
        outcome.divergences().forEach((d, n) -> text.append("  ").append(n).append(" x ").append(d).append('\n'));
        text.append("differences in namud:\n");
        outcome.differences().forEach(d -> text.append("  ").append(d).append('\n'));
        return text.toString();
    }

    private static void writeReport(String file, String report) {
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Files.writeString(target.resolve(file), report, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            System.out.println("could not write target/" + file + ": " + e.getMessage());
        }
    }
}
