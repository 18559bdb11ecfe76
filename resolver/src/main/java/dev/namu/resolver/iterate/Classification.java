package dev.namu.resolver.iterate;

import dev.namu.resolver.scrub.ScrubbedResponse;
import org.xbill.DNS.RRset;

/** What a scrubbed upstream reply means for the resolution (a closed set of outcomes). */
public sealed interface Classification {
  /** Data of the asked type, possibly through a CNAME/DNAME chain. */
  record Answer(ScrubbedResponse response) implements Classification {}

  /** A CNAME/DNAME chain whose end is not answered here: restart at {@code response.finalName()}. */
  record CnameRestart(ScrubbedResponse response) implements Classification {}

  /** The (final) name does not exist. */
  record NxDomain(ScrubbedResponse response) implements Classification {}

  /** The (final) name exists without data of the type. */
  record NoData(ScrubbedResponse response) implements Classification {}

  /** A final error rcode to pass on (YXDOMAIN after DNAME overflow, RFC 6672 2.2). */
  record ErrorAnswer(ScrubbedResponse response) implements Classification {}

  /** Go one zone cut down: ask the servers of {@code ns}. */
  record Referral(ScrubbedResponse response, RRset ns) implements Classification {}

  /**
   * The server is not (usefully) authoritative for the zone: try another one.
   *
   * @param fallback what to use if no other server does better (null: nothing)
   */
  record Lame(String why, Classification fallback) implements Classification {
    Lame(String why) {
      this(why, null);
    }
  }

  /** Classifies a scrubbed reply from a server of {@code dp}. */
  static Classification of(ScrubbedResponse r, Delegation dp) {
    Classification c = classify(r, dp);
    if (!dp.forwarding() && r.recursionAvailable() && !r.authoritative()
        && (c instanceof Answer || c instanceof CnameRestart || c instanceof NoData || c instanceof NxDomain)) {
      // RA without AA from a server we iterate to: it answered from its own cache as a
      // recursive resolver, not as an authority for the zone (recursion-lame). Its answer is
      // used only when no authoritative server answers.
      return new Lame("recursive answer without AA", c);
    }
    return c;
  }

  private static Classification classify(ScrubbedResponse r, Delegation dp) {
    int rc = r.rcode();
    if (rc == org.xbill.DNS.Rcode.YXDOMAIN) {
      // RFC 6672 section 2.2: YXDOMAIN only means "the DNAME substitution is too long".
      boolean dname = r.chain().stream().anyMatch(x -> x.getType() == org.xbill.DNS.Type.DNAME);
      return dname ? new ErrorAnswer(r) : new Lame("YXDOMAIN without DNAME");
    }
    if (rc == org.xbill.DNS.Rcode.NXDOMAIN) {
      return new NxDomain(r);
    }
    if (rc != org.xbill.DNS.Rcode.NOERROR) {
      return new Lame("rcode " + org.xbill.DNS.Rcode.string(rc));
    }
    if (r.complete()) {
      return new Answer(r);
    }
    RRset soa = r.soa();
    if (!r.chain().isEmpty()) {
      if (soa != null && r.finalName().subdomain(dp.zone())) {
        return new NoData(r);
      }
      return new CnameRestart(r);
    }
    RRset ns = r.ns();
    if (dp.forwarding() && soa == null && ns != null) {
      // A recursive resolver answers or says NXDOMAIN/NODATA with a SOA; a referral from it
      // means it did not recurse (lame forwarder).
      return new Lame("referral from a forwarder");
    }
    if (!dp.forwarding() && soa == null && ns != null && !ns.getName().equals(dp.zone())
        && ns.getName().subdomain(dp.zone())) {
      return new Referral(r, ns);
    }
    if (soa == null && ns == null && r.droppedNs()) {
      return new Lame("referral to a zone outside the server's bailiwick");
    }
    if (soa != null || dp.forwarding() || (r.authoritative() && ns != null)) {
      return new NoData(r);
    }
    if (ns != null && ns.getName().equals(dp.zone())) {
      // Without AA and without SOA, the zone's own NS set is a referral to the zone we asked
      // about: the server is lame for it (RFC 1034 section 5.3.3, RFC 4697 section 2.8), RA or
      // not. It is no NODATA either (RFC 2308 section 2.2 tells a NODATA from a referral by
      // its SOA), so nothing of it is kept, even as a last resort (Unbound asks such a server
      // with RD set once all others failed, and takes the same reply as NODATA).
      return new Lame("non-authoritative referral to the zone itself");
    }
    if (ns == null) {
      // Nothing at all, not even a SOA: useless, even with AA set; another server may do
      // better (Unbound throws such replies away).
      return new Lame("empty reply without SOA", new NoData(r));
    }
    return new Lame(ns != null ? "upward or sideways referral" : "empty non-authoritative reply");
  }
}
