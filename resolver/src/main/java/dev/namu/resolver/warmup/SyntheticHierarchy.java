package dev.namu.resolver.warmup;

import dev.namu.resolver.RootHints;
import dev.namu.resolver.transport.ReplyDecoder;
import dev.namu.resolver.transport.ReplyMatcher;
import dev.namu.resolver.transport.UpstreamException;
import dev.namu.resolver.transport.UpstreamTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An upstream that exists only in memory: a root, one TLD ({@code warm.}) and {@link #ZONES} leaf
 * zones {@code zNNNN.warm.}, each with hosts {@code hNN} and glue, answered the way a
 * non-minimal authoritative server answers (answer, NS in authority, glue in additional). Replies
 * go through wire format and {@link ReplyDecoder}, as a real upstream's do, so the warm-up runs
 * the code a real resolution runs. Nothing is ever sent: the addresses (TEST-NET-1, RFC 5737) are
 * names of the made-up servers, never a socket's.
 */
final class SyntheticHierarchy implements UpstreamTransport {
  static final int ZONES = 1000;
  private static final int LEAF_SERVERS = 20;
  private static final long TTL = 86400;
  static final Name TLD = name("warm.");
  private static final InetAddress ROOT_ADDRESS = address(1);
  private static final InetAddress TLD_ADDRESS = address(2);
  private static final Name ROOT_NS = name("a.root.warm.");

  private int nextId;

  /** Root hints naming the made-up root server. */
  static RootHints hints() {
    return new RootHints(Map.of(ROOT_NS, List.of(ROOT_ADDRESS)));
  }

  /** The name of host {@code host} of leaf zone {@code zone}. */
  static Name host(int zone, int host) {
    return name(String.format("h%02d.z%04d.warm.", host, zone));
  }

  @Override
  public CompletableFuture<Message> send(InetSocketAddress server, Message query, Protocol protocol, Duration timeout) {
    query.getHeader().setID(nextId++ & 0xffff);
    Message reply = reply(server.getAddress(), query);
    try {
      Message decoded = ReplyDecoder.decode(reply.toWire());
      if (!ReplyMatcher.matches(query, decoded)) {
        return CompletableFuture.failedFuture(new UpstreamException(UpstreamException.Kind.NETWORK, "mismatch"));
      }
      return CompletableFuture.completedFuture(decoded);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new UpstreamException(UpstreamException.Kind.NETWORK, e.getMessage()));
    }
  }

  private Message reply(InetAddress server, Message query) {
    Record q = query.getQuestion();
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.addRecord(q, Section.QUESTION);
    if (query.getOPT() != null) {
      m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    Name qname = q.getName();
    if (server.equals(ROOT_ADDRESS)) {
      if (qname.equals(Name.root) && q.getType() == Type.NS) {
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(new NSRecord(Name.root, DClass.IN, TTL, ROOT_NS), Section.ANSWER);
        m.addRecord(new ARecord(ROOT_NS, DClass.IN, TTL, ROOT_ADDRESS), Section.ADDITIONAL);
        return m;
      }
      Name tldNs = name("ns.warm.");
      m.addRecord(new NSRecord(TLD, DClass.IN, TTL, tldNs), Section.AUTHORITY);
      m.addRecord(new ARecord(tldNs, DClass.IN, TTL, TLD_ADDRESS), Section.ADDITIONAL);
      return m;
    }
    if (server.equals(TLD_ADDRESS)) {
      Name zone = new Name(qname, qname.labels() - 3);
      Name ns = name("ns", zone);
      m.addRecord(new NSRecord(zone, DClass.IN, TTL, ns), Section.AUTHORITY);
      m.addRecord(new ARecord(ns, DClass.IN, TTL, leafAddress(zone)), Section.ADDITIONAL);
      return m;
    }
    // a leaf server: the question's own zone is the name's last three labels
    Name zone = new Name(qname, qname.labels() - 3);
    Name ns = name("ns", zone);
    m.getHeader().setFlag(Flags.AA);
    boolean host = qname.labels() == 4 && qname.getLabelString(0).startsWith("h");
    if ((host || qname.equals(zone) || qname.equals(ns)) && q.getType() == Type.A) {
      m.addRecord(new ARecord(qname, DClass.IN, TTL, qname.equals(ns) ? leafAddress(zone) : address(200)),
          Section.ANSWER);
      m.addRecord(new NSRecord(zone, DClass.IN, TTL, ns), Section.AUTHORITY);
      m.addRecord(new ARecord(ns, DClass.IN, TTL, leafAddress(zone)), Section.ADDITIONAL);
      return m;
    }
    if (!host && !qname.equals(zone) && !qname.equals(ns)) {
      m.getHeader().setRcode(Rcode.NXDOMAIN);
    }
    m.addRecord(new SOARecord(zone, DClass.IN, TTL, ns, name("hostmaster", zone), 1, 3600, 600, 86400, 60),
        Section.AUTHORITY);
    return m;
  }

  private static InetAddress leafAddress(Name zone) {
    return address(10 + Math.floorMod(zone.hashCode(), LEAF_SERVERS));
  }

  private static InetAddress address(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: four bytes
    }
  }

  private static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (TextParseException e) {
      throw new IllegalStateException(e); // cannot happen: the names above are valid
    }
  }

  private static Name name(String label, Name origin) {
    try {
      return Name.fromString(label, origin);
    } catch (TextParseException e) {
      throw new IllegalStateException(e);
    }
  }
}
