package dev.namu.resolver.validate;

import dev.namu.resolver.Answer;
import dev.namu.resolver.DnssecConfig;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.iterate.ResolutionFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Judges the resolver's answers with dnsjava's validator (a port of Unbound's: chain of trust
 * from the anchors through DS and DNSKEY sets, NSEC and NSEC3 proofs, wildcards, RFC 6840's
 * rules), which asks for the DS and DNSKEY sets it needs through the resolver's own iteration
 * and keeps the keys it has proven (its key cache, by zone, with their TTL, as Unbound's). Its work
 * runs on the executor given, never on the JDK's common pool. Thread-safe.
 */
public final class Validator {
  /** The key sizes dnsjava bounds NSEC3 iterations for (RFC 5155 10.3, lowered by RFC 9276). */
  private static final int[] KEY_SIZES = {1024, 2048, 4096};

  private final ValidatingResolver validating;
  private final Set<Name> negativeAnchors;
  private final Executor executor;
  /**
   * The first judgment in flight of an answer signed by each zone whose keys are not proven yet:
   * the other answers of that zone wait for it and then find its keys in the key cache, rather
   * than each fetching and verifying the same DS and DNSKEY sets at once (a cold cache asked many
   * names of one zone together).
   */
  private final ConcurrentHashMap<Name, CompletableFuture<Void>> keying = new ConcurrentHashMap<>();

  /**
   * @param config the anchors, negative anchors, clock and NSEC3 bound
   * @param anchors the trust anchors to use (the configured ones, or the root's built-in keys)
   * @param resolve resolves a question without validation; completes with the cached answer
   * @param executor runs the validator's work (signature checks) once a lookup it waited for is in
   */
  public Validator(DnssecConfig config, List<Record> anchors,
      Function<Record, CompletionStage<CachedAnswer>> resolve, Executor executor) {
    this.negativeAnchors = config.negativeTrustAnchors();
    this.executor = executor;
    this.validating = new ValidatingResolver(new ChainHead((q, from) -> ask(q, from, resolve)), config.clock());
    validating.setAddReasonToAdditional(true);
    Properties p = new Properties();
    for (int size : KEY_SIZES) {
      p.setProperty("dnsjava.dnssec.nsec3.iterations." + size, String.valueOf(config.maxNsec3Iterations()));
    }
    try {
      validating.init(p);
      StringBuilder text = new StringBuilder();
      for (Record r : anchors) text.append(r).append('\n');
      validating.loadTrustAnchors(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new IllegalArgumentException("trust anchors: " + e.getMessage(), e);
    }
  }

  /** The validator's question {@code query}, asked for the judgment {@code from}. */
  private CompletionStage<Message> ask(Message query, Executor from,
      Function<Record, CompletionStage<CachedAnswer>> resolve) {
    Record q = query.getQuestion();
    Judgment judgment = from instanceof Judgment j ? j : null;
    Executor runner = judgment == null ? executor : judgment;
    Message first = judgment == null ? null : judgment.answerFor(q);
    if (first != null) {
      return ValidationFuture.completed(first, runner);
    }
    ValidationFuture<Message> out = new ValidationFuture<>(runner);
    resolve.apply(q).whenComplete((a, err) -> {
      if (err == null) {
        out.complete(AnswerMessage.of(q, a));
        return;
      }
      if (judgment != null) {
        judgment.failed(q, ResolutionFailure.of(err));
      }
      // dnsjava takes a message it cannot classify for bogus data; the judgment knows it is not
      out.complete(AnswerMessage.failure(q, Rcode.SERVFAIL));
    });
    return out;
  }

  /** True when {@code name} is at or below a negative trust anchor (RFC 7646). */
  public boolean underNegativeAnchor(Name name) {
    for (Name n : negativeAnchors) {
      if (name.subdomain(n)) return true;
    }
    return false;
  }

  /**
   * Judges {@code answer}, the resolver's answer to {@code name}/{@code type}, on the validator's
   * threads (the caller's thread may be one that reads upstream replies: it must not wait on
   * signature checks).
   */
  public CompletionStage<Verdict> judge(Name name, int type, CachedAnswer answer) {
    if (underNegativeAnchor(name)) {
      return CompletableFuture.completedFuture(Verdict.insecure("below a negative trust anchor (RFC 7646)"));
    }
    return CompletableFuture.supplyAsync(() -> judgeOnce(name, type, answer), executor)
        .thenCompose(v -> v);
  }

  /**
   * Judges {@code answer} on the caller's thread, for a caller that takes only an answer ready at
   * once: complete when every key it needs is proven already, otherwise later.
   */
  public CompletionStage<Verdict> judgeInline(Name name, int type, CachedAnswer answer) {
    if (underNegativeAnchor(name)) {
      return CompletableFuture.completedFuture(Verdict.insecure("below a negative trust anchor (RFC 7646)"));
    }
    return judgeNow(name, type, answer);
  }

  /** Judges {@code answer} after the first judgment in flight for its signer's keys, if any. */
  private CompletionStage<Verdict> judgeOnce(Name name, int type, CachedAnswer answer) {
    Name signer = signer(answer);
    if (signer == null) {
      return judgeNow(name, type, answer);
    }
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> first = keying.putIfAbsent(signer, mine);
    if (first != null) {
      return first.thenComposeAsync(done -> judgeNow(name, type, answer), executor);
    }
    CompletionStage<Verdict> judged;
    try {
      judged = judgeNow(name, type, answer);
    } catch (RuntimeException e) {
      judged = CompletableFuture.failedFuture(e);
    }
    return judged.whenComplete((v, err) -> {
      keying.remove(signer, mine);
      mine.complete(null);
    });
  }

  /**
   * Judges {@code answer} on this thread as far as the keys proven already take it; the work after
   * a lookup runs on the validator's threads.
   */
  private CompletionStage<Verdict> judgeNow(Name name, int type, CachedAnswer answer) {
    Record q = Record.newRecord(name, type, DClass.IN);
    Judgment judgment = new Judgment(q, AnswerMessage.of(q, answer), executor);
    return validating.sendAsync(Message.newQuery(q), judgment)
        .handle((m, err) -> {
          Judgment.ChainFailure failed = judgment.failure();
          Verdict v = err != null
              ? new Verdict(Answer.Security.BOGUS, ExtendedErrorCodeOption.DNSSEC_BOGUS, "validation failed: " + err)
              : verdictOf(m, answer.rcode());
          if (failed != null && v.bogus()) {
            // nothing was proven: the chain could not be looked up (RFC 4035 4.3, RFC 9520 3). A
            // DNSKEY set that could not be had is DNSKEY Missing (RFC 8914 4.10), as Unbound says;
            // a DS set, the reason the lookup failed (No Reachable Authority, RFC 8914 4.23)
            ResolutionFailure f = failed.cause();
            int ede = failed.question().getType() == org.xbill.DNS.Type.DNSKEY
                ? ExtendedErrorCodeOption.DNSKEY_MISSING
                : f.edeCode() == ExtendedErrorCodeOption.OTHER ? ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY
                : f.edeCode();
            return Verdict.unresolved(ede,
                "DNSSEC chain lookup " + failed.question().getName() + " "
                    + org.xbill.DNS.Type.string(failed.question().getType()) + " failed: " + f.getMessage());
          }
          return v;
        });
  }

  /** The zone that signed the answer's first signed set, or null when nothing in it is signed. */
  private static Name signer(CachedAnswer a) {
    for (List<dev.namu.resolver.cache.CachedRRset> section : List.of(a.answer(), a.authority())) {
      for (dev.namu.resolver.cache.CachedRRset s : section) {
        for (Record sig : s.rrset().sigs()) {
          return ((RRSIGRecord) sig).getSigner();
        }
      }
    }
    return null;
  }

  private static Verdict verdictOf(Message m, int rcode) {
    String reason = reason(m);
    if (m.getHeader().getFlag(Flags.AD)) {
      return new Verdict(Answer.Security.SECURE, -1, null);
    }
    int ede = ede(m);
    if (m.getRcode() == Rcode.SERVFAIL && rcode != Rcode.SERVFAIL) {
      return new Verdict(Answer.Security.BOGUS, ede < 0 ? ExtendedErrorCodeOption.DNSSEC_BOGUS : ede,
          reason == null ? "DNSSEC bogus" : reason);
    }
    return Verdict.insecure(reason);
  }

  private static int ede(Message m) {
    OPTRecord opt = m.getOPT();
    if (opt == null) return -1;
    for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
      return ((ExtendedErrorCodeOption) o).getErrorCode();
    }
    return -1;
  }

  /** The validator's reason, which it writes as a TXT record of a private class. */
  private static String reason(Message m) {
    for (Record r : m.getSection(Section.ADDITIONAL)) {
      if (r instanceof TXTRecord t && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        return String.join("", t.getStrings());
      }
    }
    return null;
  }
}
