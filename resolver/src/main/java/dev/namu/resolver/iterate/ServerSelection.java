package dev.namu.resolver.iterate;

import static dev.namu.resolver.iterate.Futures.guard;
import static dev.namu.resolver.iterate.Futures.limitOf;
import static dev.namu.resolver.iterate.Futures.rootCause;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.ResolverConfig;
import dev.namu.resolver.UpstreamTrace;
import dev.namu.resolver.cache.CachedRRset;
import dev.namu.resolver.cache.InfraCache;
import dev.namu.resolver.cache.RRsetCache;
import dev.namu.resolver.cache.UpstreamCookies;
import dev.namu.resolver.scrub.PrivateAddressFilter;
import dev.namu.resolver.scrub.ScrubbedResponse;
import dev.namu.resolver.scrub.Scrubber;
import dev.namu.resolver.transport.ReplyCookie;
import dev.namu.resolver.transport.UpstreamException;
import dev.namu.resolver.transport.UpstreamTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CookieOption;
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
import org.xbill.DNS.Type;

/**
 * Picks the servers of one delegation in turn ({@link ServerPlan}) and exchanges one question with
 * each until one gives a usable reply: glueless name-server names looked up, timed-out servers
 * retried once, the parent's glue as a last resort, a lame server's reply kept as the fallback.
 * Each reply is scrubbed and classified before it is judged usable.
 */
final class ServerSelection {
  private static final Logger LOG = LoggerFactory.getLogger(ServerSelection.class);

  /** Looks up the addresses of a name server whose name came without glue. */
  interface NameServerAddresses {
    CompletableFuture<List<InetSocketAddress>> addresses(Name ns, Resolution r);
  }

  private final ResolverConfig config;
  private final UpstreamTransport transport;
  private final InfraCache infra;
  private final Ticker ticker;
  private final Random random;
  private final DelegationFinder finder;
  /** Glue as the parent gave it in referrals, kept apart from the child's data. */
  private final RRsetCache parentSide;
  private final NameServerAddresses nameServers;
  private final PrivateAddressFilter privateFilter;
  /** Shared with the selection of a reconfigured engine, so the counts run on across a reload. */
  private final UpstreamCounters upstream;

  ServerSelection(ResolverConfig config, UpstreamTransport transport, InfraCache infra, Ticker ticker,
      Random random, DelegationFinder finder, RRsetCache parentSide, NameServerAddresses nameServers,
      UpstreamCounters upstream) {
    this.upstream = upstream;
    this.config = config;
    this.transport = transport;
    this.infra = infra;
    this.ticker = ticker;
    this.random = random;
    this.finder = finder;
    this.parentSide = parentSide;
    this.nameServers = nameServers;
    this.privateFilter = new PrivateAddressFilter(config.privateAddresses(), config.privateDomains());
  }

  UpstreamCounters upstreamCounters() {
    return upstream;
  }

  /** Asks the servers of {@code dp}, best first, until one gives a usable reply. */
  CompletableFuture<ServerResponse> query(Delegation dp, Name qname, int qtype, Resolution r) {
    ServerPlan plan = new ServerPlan(dp, infra, random);
    return tryNext(plan, qname, qtype, r);
  }

  private CompletableFuture<ServerResponse> tryNext(ServerPlan plan, Name qname, int qtype, Resolution r) {
    Delegation dp = plan.delegation();
    InetSocketAddress server = plan.next();
    if (server == null) {
      Name ns;
      while (!dp.forwarding() && (ns = plan.nextUnresolved()) != null) {
        List<InetSocketAddress> known = cachedServers(ns);
        if (!known.isEmpty()) {
          // Addresses learnt meanwhile (glue of another referral, or a lookup earlier in this
          // question, such as before a minimised query fell back to the full name): no lookup
          // needed, and no cycle to fear.
          plan.add(known);
          return tryNext(plan, qname, qtype, r);
        }
        if (!r.startTarget(ns)) {
          continue; // already being resolved for this question: a dependency cycle
        }
        r.chargeNsName();
        final Name target = ns;
        return nameServers.addresses(ns, r).thenCompose(addrs -> guard(() -> {
          // When the name-server name does not resolve, fall back to parent-side glue picked
          // up while trying (Unbound does the same: the parent's glue is the last resort).
          plan.add(addrs.isEmpty() ? cachedServers(target) : addrs);
          return tryNext(plan, qname, qtype, r);
        }));
      }
      if (plan.retryTimedOut()) {
        return tryNext(plan, qname, qtype, r);
      }
      if (!dp.forwarding() && plan.claimParentSide()) {
        // Every server failed: try the parent's glue for the NS names, where it differs from
        // what the child said (parent/child address mismatch, Unbound's parent-side fallback).
        // The parent's NS set too, when the child's differs (Unbound's parent-side NS).
        List<Name> names = new ArrayList<>(dp.nsNames());
        CachedRRset parentNs = parentSide.getStale(dp.zone(), Type.NS);
        if (parentNs != null) {
          for (Record rec : parentNs.rrset().rrs(false)) {
            Name n = ((org.xbill.DNS.NSRecord) rec).getTarget();
            if (!names.contains(n)) names.add(n);
          }
        }
        List<InetSocketAddress> parent = new ArrayList<>();
        for (Name n : names) {
          List<java.net.InetAddress> addrs = new ArrayList<>(finder.parentSideAddresses(n));
          if (!dp.nsNames().contains(n)) addrs.addAll(finder.cachedAddresses(n));
          if (addrs.isEmpty() && !dp.nsNames().contains(n)) plan.addUnresolved(n);
          for (java.net.InetAddress a : addrs) parent.add(new InetSocketAddress(a, finder.port()));
        }
        plan.add(parent);
        return tryNext(plan, qname, qtype, r);
      }
      if (plan.fallback() != null) {
        return CompletableFuture.completedFuture(plan.fallback());
      }
      throw new ResolutionFailure(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY,
          "no server for " + dp.zone() + " gave a usable answer for " + qname + "/" + Type.string(qtype));
    }
    boolean edns = !infra.state(server.getAddress()).noEdns();
    UpstreamTransport.Protocol protocol = dp.forwarding() && config.forwardOverTcp()
        ? UpstreamTransport.Protocol.TCP : UpstreamTransport.Protocol.UDP;
    boolean randomCase = config.useCapsForId() && !infra.isCaseBlind(server.getAddress());
    return exchange(server, qname, qtype, dp, r, edns, randomCase, protocol, false)
        .handle((reply, err) -> guard(() -> {
          if (err != null) {
            ResolutionFailure limit = limitOf(err);
            if (limit != null) throw limit;
            LOG.debug("{} for {}/{}: {}", server, qname, Type.string(qtype), rootCause(err).getMessage());
            if (rootCause(err) instanceof UpstreamException ue && ue.kind() == UpstreamException.Kind.TIMEOUT) {
              plan.timedOut(server);
            }
            return tryNext(plan, qname, qtype, r);
          }
          ScrubbedResponse sr = privateFilter.apply(Scrubber.scrub(reply, qname, qtype, dp.zone(), config.maxNsPerRrset(), config.hardenGlue()));
          Classification c = Classification.of(sr, dp);
          if (c instanceof Classification.Lame lame) {
            LOG.debug("{} is lame for {}: {}", server, dp.zone(), lame.why());
            infra.markLame(dp.zone(), server.getAddress());
            if (lame.fallback() != null) {
              plan.keepFallback(new ServerResponse(sr, lame.fallback(), server));
            }
            return tryNext(plan, qname, qtype, r);
          }
          return CompletableFuture.completedFuture(new ServerResponse(sr, c, server));
        })).thenCompose(f -> f);
  }

  private static ResolutionFailure limitOf(Throwable err) {
    Throwable c = rootCause(err);
    return c instanceof ResolutionFailure f && f.isLimit() ? f : null;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) c = c.getCause();
    return c;
  }

  /**
   * One exchange with one server: UDP with EDNS, over TCP when truncated (RFC 7766 section 5),
   * without EDNS when the server rejects it (RFC 6891 section 7), without 0x20 when it does not
   * repeat the question's case (draft-vixie-dnsext-dns0x20), again with the fresh server cookie
   * of a BADCOOKIE reply ({@code cookieRetried}: once already, RFC 7873 section 5.3).
   */
  private CompletableFuture<Message> exchange(InetSocketAddress server, Name qname, int qtype, Delegation dp,
      Resolution r, boolean edns, boolean randomCase, UpstreamTransport.Protocol protocol, boolean cookieRetried) {
    return guard(() -> {
      r.chargeUpstreamQuery();
      Message q = newQuery(qname, qtype, dp.forwarding(), edns, server);
      long t0 = ticker.read();
      // A forwarder is a resolver that bounds its own work, and every name goes to it: only the
      // servers of a zone found by iteration are bounded per zone.
      java.util.function.Supplier<CompletableFuture<Message>> send = () -> {
        upstream.queries.increment();
        return transport.send(upstreamAddress(server), q, protocol, config.serverTimeout(), randomCase);
      };
      CompletableFuture<Message> sent = dp.forwarding()
          ? send.get() : upstream.zones.send(dp.zone(), config.inFlight().perZone(), send);
      return sent.handle((reply, err) -> guard(() -> {
        if (r.trace() != null) {
          traced(r.trace(), server, dp, qname, qtype, t0, reply, err);
        }
        if (err != null) {
          Throwable c = rootCause(err);
          if (c instanceof UpstreamException ue && ue.kind() == UpstreamException.Kind.CASE_MISMATCH) {
            // The only replies had the question in another case than sent: the server does not
            // keep case (or a forger guessed ID and port and the server's reply did not come in
            // time). Ask it again without 0x20, and keep asking it so for a while.
            infra.markCaseBlind(server.getAddress());
            return exchange(server, qname, qtype, dp, r, edns, false, protocol, cookieRetried);
          }
          boolean timedOut = c instanceof UpstreamException ue && ue.kind() == UpstreamException.Kind.TIMEOUT;
          if (timedOut) {
            upstream.timeouts.increment();
          }
          if (timedOut || !(c instanceof ResolutionFailure)) {
            infra.recordTimeout(server.getAddress());
          }
          return CompletableFuture.<Message>failedFuture(c);
        }
        long rtt = Math.max(0, ticker.read() - t0);
        upstream.reply(rtt);
        infra.recordReply(server.getAddress(), rtt / 1_000_000L);
        // The transport took the reply only when its cookie, if any, repeats ours (RFC 7873 5.3).
        CookieOption cookie = ReplyCookie.of(reply);
        int rc = reply.getRcode();
        if (cookie != null && cookie.getServerCookie().isPresent()) {
          infra.cookies().remember(server.getAddress(), cookie.getClientCookie(), cookie.getServerCookie().get(),
              rc == Rcode.BADCOOKIE);
        }
        if (rc == Rcode.BADCOOKIE && ReplyCookie.of(q) != null) {
          // RFC 7873 section 5.3: the server wants its cookie; ask again with the fresh one it
          // just sent, once, and over TCP (where no cookie is needed) if it says so again.
          if (!cookieRetried) {
            return exchange(server, qname, qtype, dp, r, edns, randomCase, protocol, true);
          }
          if (protocol == UpstreamTransport.Protocol.UDP) {
            return exchange(server, qname, qtype, dp, r, edns, randomCase, UpstreamTransport.Protocol.TCP, true);
          }
          return CompletableFuture.<Message>failedFuture(new UpstreamException(UpstreamException.Kind.NETWORK,
              server + ": BADCOOKIE over TCP"));
        }
        if (reply.getHeader().getFlag(Flags.TC)) {
          if (protocol == UpstreamTransport.Protocol.UDP) {
            return exchange(server, qname, qtype, dp, r, edns, randomCase, UpstreamTransport.Protocol.TCP, cookieRetried);
          }
          // Truncated over TCP cannot be completed: a broken server (RFC 7766 section 8).
          return CompletableFuture.<Message>failedFuture(new UpstreamException(UpstreamException.Kind.NETWORK,
              server + ": truncated reply over TCP"));
        }
        if (edns && reply.getOPT() == null
            && (rc == Rcode.FORMERR || rc == Rcode.NOTIMP)) {
          infra.recordNoEdns(server.getAddress());
          return exchange(server, qname, qtype, dp, r, false, randomCase, protocol, cookieRetried);
        }
        return CompletableFuture.completedFuture(reply);
      })).thenCompose(f -> f);
    });
  }

  /**
   * Where a query to {@code server} goes: with NAT64, an IPv4 server at the IPv6 address the
   * prefix makes of it (RFC 6052 section 2.2). Everything else about the server (RTT, lameness,
   * its place in the delegation) stays keyed on the address the delegation names.
   */
  private InetSocketAddress upstreamAddress(InetSocketAddress server) {
    if (!config.nat64() || !(server.getAddress() instanceof java.net.Inet4Address)) return server;
    return new InetSocketAddress(config.nat64Prefix().map(server.getAddress()), server.getPort());
  }

  private void traced(UpstreamTrace trace, InetSocketAddress server, Delegation dp, Name qname, int qtype,
      long t0, Message reply, Throwable err) {
    Throwable c = err == null ? null : rootCause(err);
    String failure = c == null ? null
        : c instanceof UpstreamException ue && ue.kind() == UpstreamException.Kind.TIMEOUT ? "timeout"
        : String.valueOf(c.getMessage());
    trace.exchanged(new UpstreamTrace.Exchange(server, dp.zone(), dp.forwarding(), qname, qtype,
        Math.max(0, (ticker.read() - t0) / 1_000_000L), reply == null ? -1 : reply.getRcode(), failure));
  }

  /**
   * The query for {@code server}; with EDNS, it carries our client cookie for that server and the
   * server cookie it last returned, if any (RFC 7873 section 5.1), unless upstream cookies are off.
   */
  private Message newQuery(Name qname, int qtype, boolean recursionDesired, boolean edns, InetSocketAddress server) {
    // ID 0 here: the transport sets a random one (RFC 5452); Message.newQuery would draw one
    // from dnsjava's shared SecureRandom only for it to be overwritten.
    Message q = new Message(0);
    q.getHeader().setOpcode(org.xbill.DNS.Opcode.QUERY);
    if (recursionDesired) {
      q.getHeader().setFlag(Flags.RD);
      if (config.dnssec().enabled()) {
        // A validating resolver asks a recursive upstream for the data as it is, bogus or not,
        // and judges it itself (RFC 4035 3.2.2, RFC 6840 5.9).
        q.getHeader().setFlag(Flags.CD);
      }
    }
    q.addRecord(Record.newRecord(qname, qtype, DClass.IN), Section.QUESTION);
    if (edns) {
      List<EDNSOption> options = List.of();
      if (config.upstreamCookies()) {
        UpstreamCookies cookies = infra.cookies();
        byte[] client = cookies.clientCookie(server.getAddress());
        byte[] serverCookie = cookies.serverCookie(server.getAddress(), client);
        options = List.of(serverCookie == null ? new CookieOption(client) : new CookieOption(client, serverCookie));
      }
      // DO asks for the signatures and NSEC/NSEC3 proofs the validator needs (RFC 3225, RFC 4035 4.1).
      int flags = config.dnssec().enabled() ? org.xbill.DNS.ExtendedFlags.DO : 0;
      q.addRecord(new OPTRecord(config.ednsBufferSize(), 0, 0, flags, options), Section.ADDITIONAL);
    }
    return q;
  }

  private List<InetSocketAddress> cachedServers(Name ns) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (java.net.InetAddress a : finder.cachedAddresses(ns)) out.add(new InetSocketAddress(a, finder.port()));
    return out;
  }
}
