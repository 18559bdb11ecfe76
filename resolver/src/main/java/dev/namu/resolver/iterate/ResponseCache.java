package dev.namu.resolver.iterate;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.ResolverConfig;
import dev.namu.resolver.cache.AnswerCache;
import dev.namu.resolver.cache.AnswerKind;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import dev.namu.resolver.cache.RRsetCache;
import dev.namu.resolver.cache.TtlPolicy;
import dev.namu.resolver.cache.Trust;
import dev.namu.resolver.scrub.ScrubbedResponse;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The iteration's use of the caches: stores what servers said (referrals, answers, CNAME chains,
 * negative answers by RFC 2308, each RRset with its trust) and reads answers back, through cached
 * CNAMEs and the NXDOMAIN cut (RFC 8020).
 */
final class ResponseCache {

  private final ResolverConfig config;
  private final RRsetCache rrsets;
  private final AnswerCache answers;
  /** Glue as the parent gave it in referrals, kept apart from the child's data. */
  private final RRsetCache parentSide;
  private final Ticker ticker;
  private final TtlPolicy ttlPolicy;

  ResponseCache(ResolverConfig config, RRsetCache rrsets, AnswerCache answers, RRsetCache parentSide, Ticker ticker) {
    this.config = config;
    this.rrsets = rrsets;
    this.answers = answers;
    this.parentSide = parentSide;
    this.ticker = ticker;
    this.ttlPolicy = new TtlPolicy(config.minTtl(), config.maxTtl(), config.maxNegativeTtl());
  }

  /** The cached CNAME at {@code name} that may be given to a client, or null. */
  CachedRRset cname(Name name) {
    CachedRRset cn = rrsets.get(name, Type.CNAME);
    return cn != null && cn.trust().answerable() ? cn : null;
  }

  /** The cached answer for a question (including via cached CNAMEs and the NXDOMAIN cut), or null. */
  public CachedAnswer lookup(Name name, int type) {
    return lookup(name, type, 0);
  }

  private CachedAnswer lookup(Name name, int type, int depth) {
    CachedAnswer a = answers.get(name, type);
    if (a != null) {
      return a;
    }
    CachedAnswer nx = answers.nxdomainCovering(name);
    if (nx != null) {
      return nx;
    }
    CachedRRset rr = rrsets.get(name, type);
    if (rr != null && rr.trust().answerable()) {
      return CachedAnswer.positive(List.of(rr), List.of(), List.of());
    }
    if (type != Type.CNAME && depth < config.limits().maxCnameChain()) {
      CachedRRset cn = cname(name);
      if (cn != null) {
        CachedAnswer rest = lookup(((CNAMERecord) cn.rrset().first()).getTarget(), type, depth + 1);
        if (rest != null) {
          return concat(List.of(cn), rest);
        }
      }
    }
    return null;
  }

  /** The stale (expired, within the serve-stale window) answer for a question, or null. */
  public CachedAnswer lookupStale(Name name, int type) {
    CachedAnswer a = answers.getAny(name, type);
    if (a != null) {
      return a;
    }
    CachedRRset rr = rrsets.getStale(name, type);
    if (rr != null && rr.trust().answerable()) {
      return CachedAnswer.positive(List.of(rr), List.of(), List.of());
    }
    return null;
  }

  static CachedAnswer concat(List<CachedRRset> prefix, CachedAnswer rest) {
    if (prefix.isEmpty()) {
      return rest;
    }
    List<CachedRRset> all = new ArrayList<>(prefix.size() + rest.answer().size());
    all.addAll(prefix);
    all.addAll(rest.answer());
    long exp = rest.expiresAtNanos();
    long ttl = rest.ttlSeconds();
    for (CachedRRset r : prefix) {
      if (r.expiresAtNanos() - exp < 0) exp = r.expiresAtNanos();
      ttl = Math.min(ttl, r.ttlSeconds());
    }
    return new CachedAnswer(rest.kind(), rest.rcode(), all, rest.authority(), rest.additional(), exp, ttl);
  }

  /** Stores a final classified response and gives the step it ends the iteration with. */
  Step finish(Classification c, Delegation dp, Name sname, int qtype) {
    if (c instanceof Classification.Answer a) {
      return Step.done(cacheAnswer(sname, qtype, a.response(), dp));
    }
    if (c instanceof Classification.CnameRestart cr) {
      List<CachedRRset> chain = cacheChain(cr.response(), dp);
      return new Step(null, chain, cr.response().finalName());
    }
    if (c instanceof Classification.NxDomain nx) {
      return Step.done(cacheNegative(sname, qtype, nx.response(), true, dp));
    }
    if (c instanceof Classification.NoData nd) {
      return Step.done(cacheNegative(sname, qtype, nd.response(), false, dp));
    }
    if (c instanceof Classification.ErrorAnswer e) {
      List<CachedRRset> chain = cacheChain(e.response(), dp);
      return Step.done(new CachedAnswer(AnswerKind.ERROR, e.response().rcode(), chain, List.of(), List.of(),
          ticker.read(), 0));
    }
    throw new ResolutionFailure(ExtendedErrorCodeOption.OTHER, "unexpected reply classification " + c);
  }

  CachedRRset store(RRset rrset, Trust trust) {
    return rrsets.put(new CachedRRset(rrset, trust, ticker.read(), ttlPolicy.positive(rrset.getTTL())));
  }

  /**
   * Stores {@code rrset} expiring no later than {@code until} (ticker nanoseconds; 0: no bound).
   * Ghost domain names (Jiang et al. 2012): a delegation the servers of a zone hand out (a
   * referral, or an NS set below the zone riding along with an answer) lives no longer than the
   * delegation that led to those servers, so a zone its parent removed does not live on through
   * its children.
   */
  private CachedRRset store(RRset rrset, Trust trust, long until) {
    CachedRRset r = new CachedRRset(rrset, trust, ticker.read(), ttlPolicy.positive(rrset.getTTL()));
    return rrsets.put(until != 0 && r.expiresAtNanos() - until > 0 ? r.withExpiry(until) : r);
  }

  /** When the cached NS set that led to the servers of {@code dp} expires; 0 for configured ones. */
  private long delegationExpiry(Delegation dp) {
    if (dp.forwarding() || DelegationFinder.isConfigured(dp)) return 0;
    CachedRRset ns = rrsets.get(dp.zone(), Type.NS);
    return ns == null ? 0 : ns.expiresAtNanos();
  }

  void cacheReferral(Classification.Referral ref, Delegation dp) {
    long until = delegationExpiry(dp);
    store(ref.ns(), Trust.AUTHORITY, until);
    parentSide.put(new CachedRRset(ref.ns(), Trust.AUTHORITY, ticker.read(), ttlPolicy.positive(ref.ns().getTTL())));
    for (RRset glue : ref.response().additional()) {
      store(glue, Trust.ADDITIONAL, until);
      parentSide.put(new CachedRRset(glue, Trust.ADDITIONAL, ticker.read(), ttlPolicy.positive(glue.getTTL())));
    }
  }

  private List<CachedRRset> cacheChain(ScrubbedResponse sr, Delegation dp) {
    Trust t = sr.authoritative() && !dp.forwarding() ? Trust.ANSWER_AA : Trust.ANSWER;
    List<CachedRRset> out = new ArrayList<>(sr.chain().size());
    for (RRset rr : sr.chain()) {
      // Signatures asked for by type (RRSIG) come as one set per type they cover, all under one
      // key of the RRset cache: they are kept whole in the answer cache alone.
      out.add(rr.size() == 0 ? new CachedRRset(rr, t, ticker.read(), ttlPolicy.positive(rr.getTTL())) : store(rr, t));
      if (rr.getType() == Type.CNAME) {
        // AA speaks for the question's name (RFC 1035 section 4.1.1); what the server added
        // for the CNAME's target ranks as a non-authoritative answer (RFC 2181 section 5.4.1):
        // it is answered from, but never replaces authoritative data of the target's own zone.
        t = Trust.ANSWER;
      }
    }
    return out;
  }

  /**
   * With promiscuous scrubbing (default), an NS set riding along with a positive answer that
   * names other servers than the delegation we followed is ignored: answering one name must
   * not re-point the zone's delegation as a side effect (a cache-poisoning path).
   */
  private boolean promiscuous(RRset ns, Delegation dp) {
    if (!config.scrubPromiscuous() || dp.nsNames().isEmpty()) return false;
    for (Record rec : ns.rrs(false)) {
      if (!dp.nsNames().contains(((org.xbill.DNS.NSRecord) rec).getTarget())) return true;
    }
    return false;
  }

  private CachedAnswer cacheAnswer(Name sname, int qtype, ScrubbedResponse sr, Delegation dp) {
    List<CachedRRset> chain = cacheChain(sr, dp);
    List<CachedRRset> auth = new ArrayList<>();
    List<CachedRRset> add = new ArrayList<>();
    // From forwarders these are only passed on (forward zones never use cached NS sets).
    java.util.Set<Name> glueFor = new java.util.HashSet<>();
    long until = delegationExpiry(dp);
    List<CachedRRset> proofs = proofs(sr, ticker.read());
    for (RRset rr : sr.authority()) {
      if (rr.getType() != Type.NS || promiscuous(rr, dp)) continue;
      auth.add(store(rr, sr.authoritative() && !dp.forwarding() ? Trust.AUTHORITY_AA : Trust.AUTHORITY,
          rr.getName().equals(dp.zone()) ? 0 : until));
      for (Record rec : rr.rrs(false)) glueFor.add(((org.xbill.DNS.NSRecord) rec).getTarget());
    }
    for (RRset rr : chain.isEmpty() ? List.<RRset>of() : sr.chain()) {
      if (rr.getType() != Type.NS) continue;
      for (Record rec : rr.rrs(false)) glueFor.add(((org.xbill.DNS.NSRecord) rec).getTarget());
    }
    for (RRset rr : sr.additional()) {
      if (!glueFor.contains(rr.getName())) continue;
      CachedRRset offered = new CachedRRset(rr, Trust.ADDITIONAL, ticker.read(), ttlPolicy.positive(rr.getTTL()));
      // With promiscuous scrubbing, glue riding along with an answer may confirm cached
      // addresses, never change them.
      CachedRRset kept = config.scrubPromiscuous() ? rrsets.putConfirming(offered) : rrsets.put(offered);
      if (kept != null) add.add(kept);
    }
    CachedAnswer a = config.minimalResponses()
        // Even minimal replies carry the addresses of the servers an NS answer names.
        ? CachedAnswer.positive(chain, proofs, qtype == Type.NS ? add : List.of())
        : CachedAnswer.positive(chain, concat(auth, proofs), add);
    if (servedFromRRsets(a, sname, qtype)) {
      // lookup() builds this very answer from the RRset cache: a copy in the answer cache would
      // cost a second entry and a second write per resolution (the answer cache keeps what the
      // RRsets alone cannot give: chains, negative answers, extra sections). A copy left from
      // an earlier, different answer would shadow the new one: it goes.
      if (answers.getAny(sname, qtype) != null) answers.invalidate(sname, qtype);
      return a;
    }
    answers.put(sname, qtype, a);
    return a;
  }

  /**
   * True when {@link #lookup} gives {@code a} from the RRset cache alone: one answerable RRset
   * owned by the question's name and of its type, with nothing in the other sections.
   */
  private static boolean servedFromRRsets(CachedAnswer a, Name sname, int qtype) {
    if (qtype == Type.RRSIG || a.answer().size() != 1 || !a.authority().isEmpty() || !a.additional().isEmpty()) {
      return false;
    }
    CachedRRset rr = a.answer().get(0);
    return rr.type() == qtype && rr.trust().answerable() && rr.name().equals(sname);
  }

  private CachedAnswer cacheNegative(Name sname, int qtype, ScrubbedResponse sr, boolean nx, Delegation dp) {
    List<CachedRRset> chain = cacheChain(sr, dp);
    CachedAnswer neg = cacheNegative(sr.finalName(), qtype, sr, nx);
    return concat(chain, neg);
  }

  /** The NSEC and NSEC3 sets of a reply's authority section (the proofs the validator reads). */
  private List<CachedRRset> proofs(ScrubbedResponse sr, long now) {
    List<CachedRRset> out = new ArrayList<>();
    for (RRset rr : sr.authority()) {
      if (rr.getType() == Type.NSEC || rr.getType() == Type.NSEC3) {
        out.add(new CachedRRset(rr, Trust.AUTHORITY_AA, now, ttlPolicy.positive(rr.getTTL())));
      }
    }
    return out;
  }

  private static List<CachedRRset> concat(List<CachedRRset> a, List<CachedRRset> b) {
    if (b.isEmpty()) return a;
    List<CachedRRset> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** RFC 2308: NXDOMAIN by name, NODATA by name and type, TTL from the SOA (section 5). */
  private CachedAnswer cacheNegative(Name name, int qtype, ScrubbedResponse sr, boolean nx) {
    long now = ticker.read();
    RRset soa = sr.soa();
    AnswerKind kind = nx ? AnswerKind.NXDOMAIN : AnswerKind.NODATA;
    int rcode = nx ? Rcode.NXDOMAIN : Rcode.NOERROR;
    if (soa == null) {
      // RFC 2308 section 5: negative answers without SOA are not cached. The NS set the
      // server sent instead is passed on (non-minimal replies only).
      List<CachedRRset> auth = new ArrayList<>();
      List<CachedRRset> add = new ArrayList<>();
      if (!config.minimalResponses()) {
        for (RRset rr : sr.authority()) {
          if (rr.getType() == Type.NS) auth.add(new CachedRRset(rr, Trust.AUTHORITY, now, ttlPolicy.positive(rr.getTTL())));
        }
        for (RRset rr : sr.additional()) {
          add.add(new CachedRRset(rr, Trust.ADDITIONAL, now, ttlPolicy.positive(rr.getTTL())));
        }
      }
      return new CachedAnswer(kind, rcode, List.of(), auth, add, now, 0);
    }
    long ttl = ttlPolicy.negative((SOARecord) soa.first());
    CachedRRset soaEntry = new CachedRRset(soa, Trust.AUTHORITY_AA, now, ttl);
    List<CachedRRset> auth = new ArrayList<>();
    auth.add(soaEntry);
    for (CachedRRset p : proofs(sr, now)) {
      // the proofs live as long as the negative answer they prove (RFC 2308 5, RFC 4035 4.5)
      auth.add(new CachedRRset(p.rrset(), Trust.AUTHORITY_AA, now, ttl));
    }
    CachedAnswer neg = new CachedAnswer(kind, rcode, List.of(), auth, List.of(),
        soaEntry.expiresAtNanos(), ttl);
    if (ttl > 0) {
      answers.put(name, nx ? AnswerCache.NXDOMAIN_TYPE : qtype, neg);
    }
    return neg;
  }
}
