package dev.namu.server.pipeline;

import dev.namu.resolver.Answer;
import dev.namu.resolver.UpstreamTrace;
import dev.namu.server.auth.ResponseBuilder;
import dev.namu.server.intake.Request;
import dev.namu.zones.lookup.AuthoritativeAnswer;
import dev.namu.zones.registry.ZoneSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Sends a question to the zones that serve it, to recursion when no zone does and recursion is
 * allowed, or answers REFUSED. Questions no zone could ever answer are settled here first.
 */
public final class ZoneRouter {
  private final AnswerLookup zones;
  private final RecursionHandler recursion;
  private final ResponseBuilder builder;
  private final UnloadedZones unloaded;
  /** True when every resolution is traced (the query log lists its upstream queries). */
  private final boolean traced;

  /** @param recursion the resolver's entry, or null while recursion is not offered */
  public ZoneRouter(AnswerLookup zones, RecursionHandler recursion, ResponseBuilder builder) {
    this(zones, recursion, builder, UnloadedZones.NONE);
  }

  /**
   * As above; names {@code unloaded} covers get SERVFAIL (their zone is not loaded yet, so no
   * answer from what is loaded can be trusted for them).
   */
  public ZoneRouter(
      AnswerLookup zones, RecursionHandler recursion, ResponseBuilder builder, UnloadedZones unloaded) {
    this(zones, recursion, builder, unloaded, false);
  }

  /** As above; with {@code traced}, each resolution's {@link Outcome.Resolving} carries its trace. */
  public ZoneRouter(AnswerLookup zones, RecursionHandler recursion, ResponseBuilder builder,
      UnloadedZones unloaded, boolean traced) {
    this.traced = traced;
    this.zones = zones;
    this.recursion = recursion;
    this.builder = builder;
    this.unloaded = unloaded;
  }

  public Outcome route(Request request) {
    return route(request, traced ? new UpstreamTrace() : null);
  }

  /**
   * Routes as {@link #route(Request)} does, recording a resolution in {@code trace} (null: not
   * traced), which the {@link Outcome.Resolving} carries. {@code namuctl explain} routes here.
   */
  public Outcome route(Request request, UpstreamTrace trace) {
    Record question = request.question();
    int qtype = question.getType();
    Integer early = earlyRcode(question.getDClass());
    if (early != null) {
      return new Outcome.RcodeOnly(early);
    }
    Name qname = question.getName().canonicalize();
    if (unloaded.covers(qname)) {
      // never prepared (fromSnapshot false): once the zone is loaded the real answer takes over
      return new Outcome.RcodeOnly(Rcode.SERVFAIL);
    }
    // The lookup finds the closest enclosing zone itself, and for DS the zone above the cut,
    // since DS lives on the parent side (RFC 4035 3.1.4.1).
    // The name is looked up in lower case: names the answer synthesizes from it (DNAME's CNAME
    // target, RFC 6672 2.2) then do not depend on the client's case, so equal questions get equal
    // answers and can be prepared once. Owners equal to the question are written as pointers to
    // it and so still show the client's case.
    Optional<AuthoritativeAnswer> answer =
        zones.answer(request.zones(), qname, qtype, request.dnssecOk());
    if (answer.isPresent()) {
      AuthoritativeAnswer a = answer.get();
      boolean recursing = recursion != null && recursion.continuesChains();
      boolean atCut = endsAtCut(a);
      if (recursing && atCut && a.answer().isEmpty()) {
        return belowCut(request, a, trace);
      }
      Name leaving = recursing ? chainTarget(a, qtype, request, atCut) : null;
      if (leaving != null) {
        return continueChain(request, a, leaving, trace);
      }
      // With recursion on, a chain into a cut is answered by client (RD, ACL): never prepared.
      boolean fromSnapshot =
          (a.rcode() == Rcode.NOERROR || a.rcode() == Rcode.NXDOMAIN) && !(recursing && atCut);
      return new Outcome.Answered(builder.answer(request, a), fromSnapshot);
    }
    if (recursion != null && recursion.accepts(request)) {
      Optional<AuthoritativeAnswer> local = locallyServed(qname, qtype);
      if (local.isPresent()) {
        // never prepared: a client that may not recurse gets REFUSED for the same question
        return new Outcome.Answered(builder.answer(request, local.get()), false);
      }
      return new Outcome.Resolving(recursion.resolve(request, trace), true, trace);
    }
    // Not ours and no recursion for this client: REFUSED, as NSD and Knot answer (RFC 1035 4.1.1).
    return new Outcome.RcodeOnly(Rcode.REFUSED);
  }

  /**
   * A name below a delegation in a served zone (RFC 1034 4.3.2 3b). A client that may recurse and
   * asked to (RD) gets the name resolved, from the cut's servers (see {@link
   * dev.namu.resolver.LocalDelegations}), as BIND and Unbound answer such a client: a stub
   * resolver cannot follow a referral. Others get the referral. Never prepared either way, as
   * the reply depends on the client. DS at the cut never comes here: the parent answers it.
   */
  private Outcome belowCut(Request request, AuthoritativeAnswer referral, UpstreamTrace trace) {
    if (request.recursionDesired() && recursion.accepts(request)) {
      return new Outcome.Resolving(recursion.resolve(request, trace), false, trace);
    }
    return new Outcome.Answered(builder.answer(request, referral), false);
  }

  /**
   * The answer of the locally served empty zone that covers {@code qname} (RFC 6303 3: NXDOMAIN
   * below its apex, NODATA at it, with its SOA), or empty when none does. BIND, too, answers its
   * empty zones only to clients that may recurse: the others are refused as for any name outside
   * the served zones. A name under another top-level domain costs one hash lookup.
   */
  private Optional<AuthoritativeAnswer> locallyServed(Name qname, int qtype) {
    ZoneSet local = recursion.locallyServed(qname);
    return local == null ? Optional.empty() : zones.answer(local, qname, qtype);
  }

  /** True when the lookup stopped at a zone cut: a referral, alone or after a CNAME chain. */
  private static boolean endsAtCut(AuthoritativeAnswer a) {
    return a.rcode() == Rcode.NOERROR
        && !a.authority().isEmpty()
        && a.authority().get(0).getType() == Type.NS;
  }

  /**
   * The target of a CNAME that ends the answer's chain where our zones stop answering it (in no
   * served zone, or below a cut in one), or null. The lookup followed the chain as far as our
   * zones go (RFC 1034 4.3.2 step 3a); the rest is for recursion, as BIND does for a server that
   * is both authoritative and recursive.
   */
  private static Name chainTarget(AuthoritativeAnswer a, int qtype, Request request, boolean atCut) {
    // qtype RRSIG: the answer is signatures, whose RRset type is the type they cover, never a chain
    if (a.rcode() != Rcode.NOERROR || qtype == Type.CNAME || qtype == Type.ANY || qtype == Type.RRSIG
        || a.answer().isEmpty()) {
      return null;
    }
    RRset last = a.answer().get(a.answer().size() - 1);
    if (last.getType() != Type.CNAME) {
      return null;
    }
    Name target = ((CNAMERecord) last.first()).getTarget();
    return atCut || request.zones().findZone(target) == null ? target : null;
  }

  /**
   * The local chain, and, for a client that may recurse and asked to (RD), the resolver's answer
   * for its target after it: one answer, whose rcode is the resolver's, the final name's (RFC 6604
   * 2.1), and which is not authoritative, since part of it is not ours. Others get the local chain
   * alone, never prepared, as the reply depends on the client.
   */
  private Outcome continueChain(Request request, AuthoritativeAnswer local, Name target, UpstreamTrace trace) {
    if (!request.recursionDesired() || !recursion.accepts(request)) {
      return new Outcome.Answered(builder.answer(request, local), false);
    }
    if (unloaded.covers(target.canonicalize())) {
      // the chain leads into a zone not loaded yet: recursion must not answer for it
      return new Outcome.RcodeOnly(Rcode.SERVFAIL);
    }
    List<RRset> chain = request.dnssecOk() ? local.answer() : withoutSignatures(local.answer());
    Optional<AuthoritativeAnswer> empty = locallyServed(target.canonicalize(), request.question().getType());
    if (empty.isPresent()) {
      // the chain leads into a locally served zone: its negative answer ends it, nothing upstream
      AuthoritativeAnswer e = empty.get();
      return new Outcome.Resolving(java.util.concurrent.CompletableFuture.completedFuture(
          joined(chain, new Answer(e.rcode(), e.answer(), e.authority(), List.of(), null,
              Answer.Security.UNCHECKED, true, -1))), false, trace);
    }
    return new Outcome.Resolving(
        recursion.resolve(request, target, trace).thenApply(resolved -> joined(chain, resolved)), false, trace);
  }

  private static Answer joined(List<RRset> chain, Answer resolved) {
    List<RRset> answer = new ArrayList<>(chain);
    answer.addAll(resolved.answer());
    return new Answer(resolved.rcode(), answer, resolved.authority(), List.of(),
        resolved.extendedError(), resolved.security(), true, -1);
  }

  /** The sets without their RRSIGs, for a client that did not ask for them (RFC 4035 3.2.1). */
  private static List<RRset> withoutSignatures(List<RRset> sets) {
    List<RRset> out = new ArrayList<>(sets.size());
    for (RRset set : sets) {
      out.add(set.sigs().isEmpty() ? set : new RRset(set.rrs(false)));
    }
    return out;
  }

  /** An rcode for questions that are never looked up, or null to look the question up. */
  private static Integer earlyRcode(int qclass) {
    if (qclass != DClass.IN) {
      // we serve class IN only; CH, HS and ANY questions are not ours to answer
      return Rcode.REFUSED;
    }
    // Other meta types (MAILA, MAILB, OPT, TSIG, TKEY) are looked up like any type and get
    // NODATA, as NSD and Knot answer them. AXFR and IXFR never come here (see Transfers).
    return null;
  }
}
