package dev.namu.resolver.validate;

import dev.namu.resolver.Answer;
import dev.namu.resolver.DnssecConfig;
import dev.namu.resolver.cache.CachedAnswer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Judges the resolver's answers with dnsjava's validator (a port of Unbound's: chain of trust
 * from the anchors through DS and DNSKEY sets, NSEC and NSEC3 proofs, wildcards, RFC 6840's
 * rules), which asks for the DS and DNSKEY sets it needs through the resolver's own iteration
 * and keeps the keys it has proven. Thread-safe.
 */
public final class Validator {
  /** The key sizes dnsjava bounds NSEC3 iterations for (RFC 5155 10.3, lowered by RFC 9276). */
  private static final int[] KEY_SIZES = {1024, 2048, 4096};

  private final ValidatingResolver validating;
  private final Set<Name> negativeAnchors;
  /** The answer being judged, handed to the validator's first question instead of a lookup. */
  private final ConcurrentHashMap<Record, Message> judged = new ConcurrentHashMap<>();

  /**
   * @param config the anchors, negative anchors, clock and NSEC3 bound
   * @param anchors the trust anchors to use (the configured ones, or the root's built-in keys)
   * @param resolve resolves a question without validation; completes with the cached answer
   */
  public Validator(DnssecConfig config, List<Record> anchors,
      Function<Record, CompletionStage<CachedAnswer>> resolve) {
    this.negativeAnchors = config.negativeTrustAnchors();
    this.validating = new ValidatingResolver(new ChainHead(q -> ask(q, resolve)), config.clock());
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

  private CompletionStage<Message> ask(Message query, Function<Record, CompletionStage<CachedAnswer>> resolve) {
    Record q = query.getQuestion();
    Message first = judged.remove(q);
    if (first != null) {
      return CompletableFuture.completedFuture(first);
    }
    return resolve.apply(q).handle((a, err) ->
        err != null ? AnswerMessage.failure(q, Rcode.SERVFAIL) : AnswerMessage.of(q, a));
  }

  /** True when {@code name} is at or below a negative trust anchor (RFC 7646). */
  public boolean underNegativeAnchor(Name name) {
    for (Name n : negativeAnchors) {
      if (name.subdomain(n)) return true;
    }
    return false;
  }

  /** Judges {@code answer}, the resolver's answer to {@code name}/{@code type}. */
  public CompletionStage<Verdict> judge(Name name, int type, CachedAnswer answer) {
    if (underNegativeAnchor(name)) {
      return CompletableFuture.completedFuture(Verdict.insecure("below a negative trust anchor (RFC 7646)"));
    }
    Record q = Record.newRecord(name, type, DClass.IN);
    Message query = Message.newQuery(q);
    judged.put(q, AnswerMessage.of(q, answer));
    return validating.sendAsync(query, Runnable::run)
        .handle((m, err) -> {
          judged.remove(q);
          if (err != null) {
            return new Verdict(Answer.Security.BOGUS, ExtendedErrorCodeOption.DNSSEC_BOGUS,
                "validation failed: " + err);
          }
          return verdictOf(m, answer.rcode());
        });
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
