package dev.namu.resolver.replay;

import dev.namu.resolver.Answer;
import dev.namu.resolver.Limits;
import dev.namu.resolver.Nat64Prefix;
import dev.namu.resolver.Resolver;
import dev.namu.resolver.ResolverConfig;
import dev.namu.resolver.ResolverFactory;
import dev.namu.resolver.RootHints;
import dev.namu.resolver.transport.ReplyDecoder;
import dev.namu.resolver.transport.ReplyMatcher;
import dev.namu.resolver.transport.UpstreamException;
import dev.namu.resolver.transport.UpstreamTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Replays one scenario in-process, following testbound's run loop (testcode/fake_event.c
 * run_scenario): answer an outgoing query that the current CHECK_OUT_QUERY step matches; check
 * a client answer at a CHECK_ANSWER step; answer a pending query from a RANGE valid at the
 * current step; otherwise perform the current step (QUERY, TIME_PASSES, REPLY, TIMEOUT...).
 * A scenario passes when every CHECK_ANSWER step matches an answer the resolver gave.
 */
public final class ReplayRunner {
  /** testbound's max_rounds: a scenario that needs more is looping. */
  static final int MAX_ROUNDS = 5000;
  /** How long the runner waits for a resolver working on another thread (generous: CI is slow). */
  static final long SETTLE_MILLIS = 5000;

  private ReplayRunner() {}

  public static ReplayResult run(Path file) {
    Scenario s;
    try {
      s = ScenarioParser.parse(file);
    } catch (IOException | RuntimeException e) {
      return new ReplayResult(file.getFileName().toString(), false, "parse error: " + e.getMessage(), 0);
    }
    return run(s);
  }

  static ReplayResult run(Scenario s) {
    ResolverConfig config;
    try {
      config = configFor(s);
    } catch (RuntimeException | IOException e) {
      return new ReplayResult(s.name(), false, "unsupported config: " + e.getMessage(), 0);
    }
    ManualTicker ticker = new ManualTicker();
    FakeUpstream upstream = new FakeUpstream();
    try (Resolver resolver = ResolverFactory.create(config, upstream, ticker, new Random(1))) {
      return new Loop(s, resolver, upstream, ticker).run();
    } catch (RuntimeException e) {
      return new ReplayResult(s.name(), false, "exception: " + e, 0);
    }
  }

  private static final class Loop {
    private final Scenario s;
    private final Resolver resolver;
    private final FakeUpstream upstream;
    private final ManualTicker ticker;
    private final List<Message> answers = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Client queries the resolver has not answered yet. */
    private final java.util.concurrent.atomic.AtomicInteger outstanding = new java.util.concurrent.atomic.AtomicInteger();
    private int checks;

    Loop(Scenario s, Resolver resolver, FakeUpstream upstream, ManualTicker ticker) {
      this.s = s;
      this.resolver = resolver;
      this.upstream = upstream;
      this.ticker = ticker;
    }

    ReplayResult run() {
      List<Scenario.Step> steps = s.steps();
      int idx = 0;
      int rounds = 0;
      while (idx < steps.size()) {
        if (++rounds > MAX_ROUNDS) {
          return fail(steps.get(idx), "too many rounds: the resolver loops");
        }
        Scenario.Step now = steps.get(idx);
        settle();
        FakeUpstream.Pending p;
        if (now.type().equals("CHECK_OUT_QUERY") && (p = pendingMatching(now)) != null) {
          idx++;
          if (now.entry().copyId()) answer(p, now.entry());
          continue;
        }
        if (now.type().equals("CHECK_ANSWER") && !answers.isEmpty()) {
          String why = check(now);
          if (why != null) return fail(now, why);
          idx++;
          continue;
        }
        if (answerFromRange(now.number())) {
          continue;
        }
        idx++;
        switch (now.type()) {
          case "QUERY" -> query(now);
          case "CHECK_ANSWER" -> {
            return fail(now, "no answer from the resolver"
                + (upstream.pending().isEmpty() ? "" : " (waiting on " + describe(upstream.pending().get(0)) + ")"));
          }
          case "TIME_PASSES" -> ticker.advanceSeconds(now.elapse());
          case "TIMEOUT" -> {
            if (!upstream.pending().isEmpty()) {
              FakeUpstream.Pending first = upstream.pending().remove(0);
              first.reply().completeExceptionally(new UpstreamException(UpstreamException.Kind.TIMEOUT, "TIMEOUT step"));
            }
          }
          case "REPLY" -> {
            if (!upstream.pending().isEmpty() && now.entry() != null) {
              answer(upstream.pending().get(0), now.entry());
            }
          }
          default -> { /* CHECK_OUT_QUERY not sent, TRAFFIC, INFRA_RTT...: not checked */ }
        }
      }
      return new ReplayResult(s.name(), true, checks + " answers matched", checks);
    }

    /**
     * Waits while the resolver works on another thread: a client query is unanswered and no
     * upstream query waits for the runner (testbound's validator runs on its event loop, as the
     * runner does; dnsjava's continues some steps on pool threads). Bounded: a resolver that
     * neither asks nor answers within {@link #SETTLE_MILLIS} is left to the step.
     */
    private void settle() {
      upstream.awaitChange(() -> outstanding.get() == 0 || !upstream.pending().isEmpty(), SETTLE_MILLIS);
    }

    private ReplayResult fail(Scenario.Step step, String why) {
      if (Boolean.getBoolean("namu.replay.trace")) {
        for (FakeUpstream.Pending p : upstream.sent()) {
          System.out.println("  sent " + describe(p) + " -> " + (p.reply().isDone()
              ? (p.reply().isCompletedExceptionally() ? "failed" : p.reply().join().toString().replace('\n', ' ')) : "pending"));
        }
        for (Message m : answers) System.out.println("  answer " + m.toString().replace('\n', ' '));
      }
      return new ReplayResult(s.name(), false, "STEP " + step.number() + " " + step.type() + ": " + why, checks);
    }

    private static String describe(FakeUpstream.Pending p) {
      return p.query().getQuestion() + " to " + p.server().getAddress().getHostAddress()
          + (p.protocol() == UpstreamTransport.Protocol.TCP ? " (TCP)" : "");
    }

    private FakeUpstream.Pending pendingMatching(Scenario.Step now) {
      for (FakeUpstream.Pending p : upstream.pending()) {
        if (now.address() != null && !now.address().equals(p.server().getAddress())) continue;
        if (now.entry() != null
            && PacketMatcher.mismatch(now.entry(), p.query(), p.protocol() == UpstreamTransport.Protocol.TCP) == null) {
          return p;
        }
      }
      return null;
    }

    private boolean answerFromRange(int step) {
      for (FakeUpstream.Pending p : upstream.pending()) {
        for (Scenario.Range r : s.ranges()) {
          if (step < r.start() || step > r.end()) continue;
          if (r.address() != null && !r.address().equals(p.server().getAddress())) continue;
          for (Entry e : r.entries()) {
            if (PacketMatcher.mismatch(e, p.query(), p.protocol() == UpstreamTransport.Protocol.TCP) == null) {
              answer(p, e);
              return true;
            }
          }
        }
      }
      return false;
    }

    /** Answers a pending query with an entry (copy_id, copy_query), as the wire would carry it. */
    private void answer(FakeUpstream.Pending p, Entry e) {
      upstream.pending().remove(p);
      Message reply;
      try {
        if (e.hex() != null) {
          reply = ReplyDecoder.decode(e.hex());
        } else {
          reply = e.packet().clone();
          if (e.copyQuery()) {
            reply.removeAllRecords(Section.QUESTION);
            reply.addRecord(p.query().getQuestion(), Section.QUESTION);
          }
        }
        // testbound's fake network hands replies to the iterator without comparing IDs, so
        // scenarios do not always say copy_id; ID checks are the real transport's job (tested
        // over loopback sockets), so the replay always copies the ID.
        reply.getHeader().setID(p.query().getHeader().getID());
        reply = ReplyDecoder.decode(reply.toWire());
      } catch (IOException | RuntimeException ex) {
        p.reply().completeExceptionally(new UpstreamException(UpstreamException.Kind.NETWORK, "unparseable reply: " + ex.getMessage()));
        return;
      }
      if (!ReplyMatcher.matches(p.query(), reply)) {
        // The real transport ignores such a reply (RFC 5452) and times out.
        p.reply().completeExceptionally(new UpstreamException(UpstreamException.Kind.TIMEOUT, "reply did not match the query"));
        return;
      }
      p.reply().complete(reply);
    }

    private void query(Scenario.Step step) {
      Message q = step.entry().packet().clone();
      q.getHeader().setID(4242);
      if (!q.getHeader().getFlag(Flags.RD)) {
        Message cached = resolver.cached(q).map(a -> reply(q, a)).orElseGet(() -> refusal(q));
        answers.add(cached);
        return;
      }
      outstanding.incrementAndGet();
      resolver.resolve(q).whenComplete((a, e) -> {
        if (a != null) answers.add(reply(q, a));
        outstanding.decrementAndGet();
        upstream.changed();
      });
    }

    /**
     * The reply a server writes from the resolver's answer, as Unbound's scenarios expect it: the
     * query's ID, RD and CD, RA, and an OPT with the extended error when the query had EDNS.
     */
    private static Message reply(Message q, Answer a) {
      Message m = new Message(q.getHeader().getID());
      m.getHeader().setFlag(Flags.QR);
      if (a.recursed()) m.getHeader().setFlag(Flags.RA);
      if (q.getHeader().getFlag(Flags.RD)) m.getHeader().setFlag(Flags.RD);
      if (q.getHeader().getFlag(Flags.CD)) m.getHeader().setFlag(Flags.CD);
      // RFC 6840 5.7: AD on a secure answer to a query with DO or AD
      boolean dnssecOk = q.getOPT() != null && (q.getOPT().getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0;
      if (a.security() == Answer.Security.SECURE && (dnssecOk || q.getHeader().getFlag(Flags.AD))) {
        m.getHeader().setFlag(Flags.AD);
      }
      m.getHeader().setRcode(a.rcode());
      m.addRecord(q.getQuestion(), Section.QUESTION);
      for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
        for (Record r : a.records(section)) m.addRecord(r, section);
      }
      if (q.getOPT() != null) {
        Answer.ExtendedError e = a.extendedError();
        m.addRecord(e == null ? new OPTRecord(1232, 0, 0)
            : new OPTRecord(1232, 0, 0, 0, List.of(new ExtendedErrorCodeOption(e.code(), e.text()))),
            Section.ADDITIONAL);
      }
      return m;
    }

    private static Message refusal(Message q) {
      Message m = new Message(q.getHeader().getID());
      m.getHeader().setFlag(Flags.QR);
      m.getHeader().setFlag(Flags.RA);
      m.getHeader().setRcode(org.xbill.DNS.Rcode.SERVFAIL);
      m.addRecord(q.getQuestion(), Section.QUESTION);
      return m;
    }

    private String check(Scenario.Step step) {
      String first = null;
      for (int i = 0; i < answers.size(); i++) {
        String why = PacketMatcher.mismatch(step.entry(), answers.get(i), false);
        if (why == null) {
          answers.remove(i);
          checks++;
          return null;
        }
        if (first == null) first = why;
      }
      return "answer differs: " + first;
    }
  }

  /** Maps the scenario's Unbound options to a resolver configuration (defaults as Unbound's). */
  static ResolverConfig configFor(Scenario s) throws IOException {
    ResolverConfig.Builder b = ResolverConfig.builder()
        .qnameMinimisation(yes(s.option("qname-minimisation", "yes")))
        .minimalResponses(yes(s.option("minimal-responses", "yes")))
        .prefetch(yes(s.option("prefetch", "no")))
        .scrubPromiscuous(yes(s.option("iter-scrub-promiscuous", "yes")))
        .maxNsPerRrset(Integer.parseInt(s.option("iter-scrub-ns", "20")))
        .serveStale(yes(s.option("serve-expired", "no")))
        .useIpv6(yes(s.option("do-ip6", "yes")))
        .useIpv4(yes(s.option("do-ip4", "yes")))
        .doNotQueryLocalhost(yes(s.option("do-not-query-localhost", "yes")))
        .nat64(yes(s.option("do-nat64", "no")))
        .nat64Prefix(Nat64Prefix.parse(s.option("nat64-prefix", "64:ff9b::/96")))
        .minTtl(Long.parseLong(s.option("cache-min-ttl", "0")))
        .maxTtl(Long.parseLong(s.option("cache-max-ttl", "86400")))
        .maxNegativeTtl(Long.parseLong(s.option("cache-max-negative-ttl", "3600")))
        .qnameMinimisationStrict(yes(s.option("qname-minimisation-strict", "no")))
        .hardenGlue(yes(s.option("harden-glue", "yes")))
        .staleAnswerTtl(Long.parseLong(s.option("serve-expired-reply-ttl", "30")))
        .ednsBufferSize(Integer.parseInt(s.option("edns-buffer-size", "1232")))
        .useCapsForId(yes(s.option("use-caps-for-id", "no")))
        .clientTimeout(Duration.ofDays(1));
    for (String range : s.server().getOrDefault("private-address", List.of())) b.privateAddress(range);
    for (String dom : s.server().getOrDefault("private-domain", List.of())) b.privateDomain(Name.fromString(dom, Name.root));
    Limits d = Limits.defaults();
    b.limits(new Limits(d.maxReferralDepth(),
        Integer.parseInt(s.option("max-query-restarts", String.valueOf(d.maxCnameChain()))),
        d.maxNsNamesPerQuestion(),
        Integer.parseInt(s.option("max-global-quota", String.valueOf(d.maxUpstreamQueries()))),
        d.maxMinimiseSteps()));
    boolean rootSet = false;
    for (Scenario.Zone z : s.stubZones()) {
      List<InetSocketAddress> addrs = addresses(z.addresses());
      if (addrs.isEmpty()) continue;
      Name n = Name.fromString(z.name(), Name.root);
      if (n.equals(Name.root)) {
        List<InetAddress> hints = new ArrayList<>();
        addrs.forEach(a -> hints.add(a.getAddress()));
        b.rootHints(RootHints.of(hints));
        rootSet = true;
      } else {
        b.stubZone(n, addrs);
        if (yes(z.options().getOrDefault("stub-first", "no"))) b.fallbackToIteration(n);
      }
    }
    for (Scenario.Zone z : s.forwardZones()) {
      List<InetSocketAddress> addrs = addresses(z.addresses());
      if (addrs.isEmpty()) continue;
      Name n = Name.fromString(z.name(), Name.root);
      if (n.equals(Name.root)) b.forwarders(addrs);
      else b.forwardZone(n, addrs);
      if (yes(z.options().getOrDefault("forward-first", "no"))) b.fallbackToIteration(n);
      if (yes(z.options().getOrDefault("forward-tcp-upstream", "no"))) b.forwardOverTcp(true);
    }
    b.dnssec(dnssecFor(s));
    if (!rootSet) {
      // Scenarios without a root stub rely on built-in hints; the fake upstream answers them.
      b.rootHints(RootHints.iana());
    }
    return b.build();
  }

  /**
   * Validation as the scenario sets it: its trust-anchor lines, its negative anchors
   * (domain-insecure), the NSEC3 iteration bound, and the clock at val-override-date (the
   * signatures in the files expired long ago; "-1" or none is the real time, as in Unbound).
   * Without a trust anchor a scenario is about iteration alone: validation is off. Most
   * scenarios are signed with DSA, which RFC 8624 3.1 says not to validate (dnsjava does not by
   * default, and does not read these files' DER-encoded DSA signatures, which Unbound accepts):
   * their zones are insecure here, so their bogus cases fail.
   */
  static dev.namu.resolver.DnssecConfig dnssecFor(Scenario s) throws IOException {
    List<String> anchors = s.server().getOrDefault("trust-anchor", List.of());
    if (anchors.isEmpty()) {
      return dev.namu.resolver.DnssecConfig.off();
    }
    StringBuilder text = new StringBuilder();
    for (String a : anchors) text.append(a).append('\n');
    List<Record> records = dev.namu.resolver.validate.TrustAnchors.parse(text.toString(), s.name());
    java.util.Set<Name> insecure = new java.util.HashSet<>();
    for (String d : s.server().getOrDefault("domain-insecure", List.of())) insecure.add(Name.fromString(d, Name.root));
    java.time.Clock clock = java.time.Clock.systemUTC();
    String date = s.option("val-override-date", "-1");
    if (!date.equals("-1")) {
      java.time.LocalDateTime t = java.time.LocalDateTime.parse(date,
          java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
      clock = java.time.Clock.fixed(t.toInstant(java.time.ZoneOffset.UTC), java.time.ZoneOffset.UTC);
    }
    dev.namu.resolver.DnssecConfig d = dev.namu.resolver.DnssecConfig.defaults()
        .withTrustAnchors(records).withNegativeTrustAnchors(insecure).withClock(clock);
    String iterations = s.option("val-nsec3-keysize-iterations", "");
    if (!iterations.isBlank()) {
      // "keysize iterations ..." pairs; the bound here is one for every key size: the largest
      String[] f = iterations.trim().split("\\s+");
      int max = 0;
      for (int i = 1; i < f.length; i += 2) max = Math.max(max, Integer.parseInt(f[i]));
      d = d.withMaxNsec3Iterations(max);
    }
    return d;
  }

  private static boolean yes(String v) {
    return v.equalsIgnoreCase("yes");
  }

  private static List<InetSocketAddress> addresses(List<String> specs) throws IOException {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String spec : specs) {
      String host = spec;
      int port = 53;
      int at = spec.indexOf('@');
      if (at >= 0) {
        host = spec.substring(0, at);
        port = Integer.parseInt(spec.substring(at + 1));
      }
      // Literal addresses only: getByName on a literal does no lookup.
      if (!host.matches("[0-9a-fA-F:.]+")) continue;
      out.add(new InetSocketAddress(InetAddress.getByName(host), port));
    }
    return out;
  }
}
