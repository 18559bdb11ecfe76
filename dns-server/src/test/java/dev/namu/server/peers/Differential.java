package dev.namu.server.peers;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Asks every question of a subject server (namud) and of reference peers (NSD, Knot) over UDP and
 * TCP and compares the replies aspect by aspect. An aspect is compared only where all reference
 * peers agree on it; where they disagree it is counted and skipped, because then there is no
 * single right answer to hold the subject to.
 */
public final class Differential {

    /**
     * How a question is sent: over UDP and TCP with EDNS(0); over UDP without EDNS (512-byte
     * replies); with the DO bit over UDP and TCP (RFC 3225: the DNSSEC records of a signed zone);
     * with EDNS version 1 (RFC 6891 6.1.3: BADVERS).
     */
    public enum Probe {
        UDP(Transport.UDP, LoopbackDnsClient.Edns.PLAIN), TCP(Transport.TCP, LoopbackDnsClient.Edns.PLAIN),
        UDP_NO_EDNS(Transport.UDP, LoopbackDnsClient.Edns.NONE), UDP_DO(Transport.UDP, LoopbackDnsClient.Edns.DO),
        UDP_EDNS1(Transport.UDP, LoopbackDnsClient.Edns.VERSION_1), TCP_DO(Transport.TCP, LoopbackDnsClient.Edns.DO),
        UDP_DO_512(Transport.UDP, LoopbackDnsClient.Edns.DO_512);

        /** The probes of an unsigned zone, where DO over TCP would only repeat DO over UDP. */
        public static final Set<Probe> UNSIGNED = Set.of(UDP, TCP, UDP_NO_EDNS, UDP_DO, UDP_EDNS1);
        /** The probes of a signed zone: with and without DO, over UDP and TCP, and DO in 512 bytes. */
        public static final Set<Probe> SIGNED = Set.of(UDP, TCP, UDP_DO, TCP_DO, UDP_DO_512);

        final Transport transport;
        final LoopbackDnsClient.Edns edns;

        Probe(Transport transport, LoopbackDnsClient.Edns edns) {
            this.transport = transport;
            this.edns = edns;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** The compared parts of a reply. */
    public enum Aspect {
        RCODE, AA,
        /** TC, RD, RA, CD and whether the reply carries an OPT record (RFC 6891 7: only if the query did). */
        FLAGS,
        /** Answer section as RRsets with TTLs, names compared without case. */
        ANSWER,
        /** Answer section with the exact case of every name (RFC 4343 section 4: the reply keeps the question's case). */
        ANSWER_CASE,
        /** Authority section, for negative answers and referrals only (positive answers may or may not carry NS). */
        AUTHORITY,
        /** Additional section (glue, A/AAAA of NS/MX/SRV targets), without OPT. */
        ADDITIONAL
    }

    /** One aspect of one exchange where the subject differs from what the reference peers agree on. */
    public record Difference(Question question, Probe transport, Aspect aspect, String reference,
                             String expected, String subject, String actual) {
        @Override
        public String toString() {
            return question + " [" + transport + "] " + aspect + ": " + reference
                    + " say " + expected + "\n      " + subject + " says " + actual;
        }
    }

    /**
     * A deliberate, documented divergence from the peers: for questions of {@code qtype} sent as one
     * of {@code probes}, the subject answers {@code subjectRcode} with no data (so its rcode, AA and
     * authority differ) where the peers answer otherwise. Anything else the subject does for those
     * questions is still compared.
     */
    public record Divergence(int qtype, Set<Probe> probes, int subjectRcode, String reason) {

        boolean covers(Question question, Probe probe, Aspect aspect, Optional<ReplyDigest> subject) {
            return question.type() == qtype && probes.contains(probe)
                    && (aspect == Aspect.RCODE || aspect == Aspect.AA || aspect == Aspect.AUTHORITY)
                    && subject.isPresent() && subject.get().rcode() == subjectRcode;
        }

        @Override
        public String toString() {
            return Type.string(qtype) + " " + probes + " -> " + Rcode.string(subjectRcode) + ": " + reason;
        }
    }

    /** What a run found. */
    public record Outcome(int queries, int exchanges, int fullyCompared, int partlyCompared,
                          Map<Aspect, Integer> peerDisagreements, List<String> peerDisagreementSamples,
                          List<Difference> differences, Map<Divergence, Integer> divergences,
                          List<String> sidesWithNoPeer) {

        public String summaryLine() {
            return "differential: " + queries + " queries (" + exchanges + " exchanges), "
                    + fullyCompared + " compared on every aspect, " + partlyCompared
                    + " partly (reference peers disagree on some aspect: " + peerDisagreements + "), "
                    + differences.size() + " differences, "
                    + divergences.values().stream().mapToInt(Integer::intValue).sum()
                    + " documented divergences";
        }
    }

    private static final int SAMPLES_PER_ASPECT = 6;

    private final PeerServer subject;
    private final List<PeerServer> reference;
    private final Duration budget;
    private final List<Divergence> divergences;
    private final Set<Probe> probes;

    public Differential(PeerServer subject, List<PeerServer> reference, Duration budget) {
        this(subject, reference, budget, List.of());
    }

    public Differential(PeerServer subject, List<PeerServer> reference, Duration budget,
                        List<Divergence> divergences) {
        this(subject, reference, budget, divergences, Probe.UNSIGNED);
    }

    /** As above, sending each question as each of {@code probes}. */
    public Differential(PeerServer subject, List<PeerServer> reference, Duration budget,
                        List<Divergence> divergences, Set<Probe> probes) {
        if (reference.isEmpty()) {
            throw new IllegalArgumentException("at least one reference peer is needed");
        }
        this.subject = subject;
        this.reference = List.copyOf(reference);
        this.budget = budget;
        this.divergences = List.copyOf(divergences);
        this.probes = Set.copyOf(probes);
    }

    /** Runs every question over both transports. Throws if the time budget runs out. */
    public Outcome run(List<Question> questions) {
        String referenceName = reference.stream().map(PeerServer::name).collect(Collectors.joining("+"));
        long deadline = System.nanoTime() + budget.toNanos();
        Map<Aspect, Integer> disagreements = new EnumMap<>(Aspect.class);
        List<String> disagreementSamples = new ArrayList<>();
        List<String> sidesWithNone = new ArrayList<>();
        List<Difference> differences = new ArrayList<>();
        Map<Divergence, Integer> divergent = new LinkedHashMap<>();
        divergences.forEach(d -> divergent.put(d, 0));
        int exchanges = 0;
        int full = 0;
        int partly = 0;
        try (LoopbackDnsClient client = new LoopbackDnsClient(Duration.ofSeconds(2))) {
            for (Question question : questions) {
                for (Probe transport : Probe.values()) {
                    if (!probes.contains(transport)) {
                        continue;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("differential run exceeded its budget of " + budget
                                + " after " + exchanges + " exchanges");
                    }
                    exchanges++;
                    List<Optional<ReplyDigest>> peers = new ArrayList<>();
                    for (PeerServer peer : reference) {
                        peers.add(ask(client, peer, question, transport));
                    }
                    Optional<ReplyDigest> ours = ask(client, subject, question, transport);
                    boolean allAgreed = true;
                    for (Aspect aspect : Aspect.values()) {
                        Verdict verdict = compare(question, transport, aspect, peers, ours);
                        switch (verdict.kind) {
                            case PEERS_DISAGREE -> {
                                allAgreed = false;
                                disagreements.merge(aspect, 1, Integer::sum);
                                if (disagreements.get(aspect) <= SAMPLES_PER_ASPECT) {
                                    disagreementSamples.add(question + " [" + transport + "] " + aspect + ": "
                                            + verdict.detail);
                                }
                                if (verdict.actual != null) {
                                    sidesWithNone.add(question + " [" + transport + "] " + aspect + ": "
                                            + verdict.detail + "\n      " + subject.name() + " says " + verdict.actual);
                                }
                            }
                            case DIFFERENT -> {
                                Probe probe = transport;
                                Optional<Divergence> known = divergences.stream()
                                        .filter(d -> d.covers(question, probe, aspect, ours)).findFirst();
                                if (known.isPresent()) {
                                    divergent.merge(known.get(), 1, Integer::sum);
                                } else {
                                    differences.add(new Difference(question, transport, aspect,
                                            referenceName, verdict.expected, subject.name(), verdict.actual));
                                }
                            }
                            case SAME, NOT_APPLICABLE -> { }
                        }
                    }
                    if (allAgreed) {
                        full++;
                    } else {
                        partly++;
                    }
                }
            }
        }
        return new Outcome(questions.size(), exchanges, full, partly, disagreements, disagreementSamples,
                differences, divergent, sidesWithNone);
    }

    private static Optional<ReplyDigest> ask(LoopbackDnsClient client, PeerServer server, Question question,
                                             Probe probe) {
        try {
            Message query = LoopbackDnsClient.question(question.name(), question.type(), probe.edns);
            Message reply = client.send(server.address(), query, probe.transport);
            return Optional.of(ReplyDigest.of(question, reply));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private enum VerdictKind { SAME, DIFFERENT, PEERS_DISAGREE, NOT_APPLICABLE }

    private record Verdict(VerdictKind kind, String expected, String actual, String detail) {
        static Verdict of(VerdictKind kind) {
            return new Verdict(kind, null, null, null);
        }
    }

    private Verdict compare(Question question, Probe probe, Aspect aspect, List<Optional<ReplyDigest>> peers,
                            Optional<ReplyDigest> ours) {
        if (peers.stream().anyMatch(Optional::isEmpty)) {
            return new Verdict(VerdictKind.PEERS_DISAGREE, null, null, "a reference peer did not reply");
        }
        List<ReplyDigest> replies = peers.stream().map(Optional::get).toList();
        if (aspect == Aspect.AUTHORITY) {
            if (new HashSet<>(replies.stream().map(ReplyDigest::kind).toList()).size() > 1) {
                return new Verdict(VerdictKind.PEERS_DISAGREE, null, null, "kinds " + kinds(replies));
            }
            ReplyDigest.Kind kind = replies.get(0).kind();
            // With DO a positive answer's authority matters too: a wildcard answer carries the
            // proof that the name itself does not exist (RFC 4035 3.1.3.3, RFC 5155 7.2.6).
            boolean signedPositive = kind == ReplyDigest.Kind.POSITIVE
                    && (probe.edns == LoopbackDnsClient.Edns.DO || probe.edns == LoopbackDnsClient.Edns.DO_512);
            if (kind != ReplyDigest.Kind.NEGATIVE && kind != ReplyDigest.Kind.REFERRAL && !signedPositive) {
                return Verdict.of(VerdictKind.NOT_APPLICABLE);
            }
        }
        BiFunction<Aspect, ReplyDigest, String> value = Differential::value;
        String expected = value.apply(aspect, replies.get(0));
        for (ReplyDigest other : replies.subList(1, replies.size())) {
            if (!Objects.equals(expected, value.apply(aspect, other))) {
                String peerValues = replies.stream().map(r -> value.apply(aspect, r))
                        .collect(Collectors.joining(" vs "));
                // Not a failure, but worth a look: the subject sides with none of the peers.
                boolean sidesWithNone = ours.isPresent() && aspect != Aspect.ADDITIONAL
                        && question.type() != Type.ANY
                        && replies.stream().noneMatch(r -> value.apply(aspect, r).equals(value.apply(aspect, ours.get())));
                return new Verdict(VerdictKind.PEERS_DISAGREE, null,
                        sidesWithNone ? value.apply(aspect, ours.get()) : null, peerValues);
            }
        }
        if (ours.isEmpty()) {
            // A missing reply is one difference, reported once under RCODE.
            return aspect == Aspect.RCODE ? new Verdict(VerdictKind.DIFFERENT, expected, "no reply", null)
                    : Verdict.of(VerdictKind.NOT_APPLICABLE);
        }
        String actual = value.apply(aspect, ours.get());
        if (question.type() == Type.ANY && (aspect == Aspect.ANSWER || aspect == Aspect.ANSWER_CASE)) {
            // RFC 8482 4.1: a server may answer ANY with a subset of the RRsets (namud: one RRset).
            return anySubset(replies.get(0), ours.get(), aspect, expected, actual);
        }
        return expected.equals(actual) ? Verdict.of(VerdictKind.SAME)
                : new Verdict(VerdictKind.DIFFERENT, expected, actual, null);
    }

    private static Verdict anySubset(ReplyDigest peer, ReplyDigest ours, Aspect aspect, String expected,
                                     String actual) {
        List<String> theirs = aspect == Aspect.ANSWER ? peer.answer() : peer.answerExactCase();
        List<String> mine = aspect == Aspect.ANSWER ? ours.answer() : ours.answerExactCase();
        boolean ok = theirs.isEmpty() ? mine.isEmpty() : !mine.isEmpty() && theirs.containsAll(mine);
        return ok ? Verdict.of(VerdictKind.SAME) : new Verdict(VerdictKind.DIFFERENT,
                "a non-empty subset of " + expected, actual, null);
    }

    private static String value(Aspect aspect, ReplyDigest reply) {
        return switch (aspect) {
            case RCODE -> Rcode.string(reply.rcode());
            case AA -> reply.aa() ? "aa" : "no aa";
            case FLAGS -> reply.flags();
            case ANSWER -> reply.answer().toString();
            case ANSWER_CASE -> reply.answerExactCase().toString();
            case AUTHORITY -> reply.authority().toString();
            case ADDITIONAL -> reply.additional().toString();
        };
    }

    private static String kinds(List<ReplyDigest> replies) {
        return replies.stream().map(ReplyDigest::summary).collect(Collectors.joining(" vs "));
    }
}
