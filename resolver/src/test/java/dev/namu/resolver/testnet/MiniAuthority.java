package dev.namu.resolver.testnet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A tiny authoritative server for tests: answers from a list of records for the zones whose
 * SOA it holds (RFC 1034 4.3.2 in miniature: referrals below cuts with glue, CNAME, NODATA and
 * NXDOMAIN with the SOA). Behaviour can be overridden per query to script failures.
 */
public final class MiniAuthority {
  private final String label;
  private final List<Record> records = new ArrayList<>();
  private final List<Name> apexes = new ArrayList<>();
  private final AtomicInteger queries = new AtomicInteger();
  private final AtomicInteger tcpQueries = new AtomicInteger();
  private volatile BiFunction<Message, Boolean, Message> override;
  private volatile java.util.function.Function<Message, List<Spoof>> spoofer;

  /**
   * A forged reply sent before the real one (loopback only): from the server's own socket, from
   * another port of its address ({@code otherPort}), or from another loopback address ({@code
   * fromAddress}, null for the server's).
   */
  public record Spoof(Message message, boolean otherPort, String fromAddress) {
    public Spoof(Message message, boolean otherPort) {
      this(message, otherPort, null);
    }
  }

  /** Forged replies to send before the real reply to a query (empty list: none). */
  public MiniAuthority spoofer(java.util.function.Function<Message, List<Spoof>> f) {
    this.spoofer = f;
    return this;
  }

  public List<Spoof> spoofsFor(Message query) {
    java.util.function.Function<Message, List<Spoof>> f = spoofer;
    return f == null ? List.of() : f.apply(query);
  }

  public MiniAuthority(String label, String zoneText) {
    this.label = label;
    try (Master m = new Master(new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.UTF_8)), Name.root, 300)) {
      Record r;
      while ((r = m.nextRecord()) != null) {
        records.add(r);
        if (r.getType() == Type.SOA) apexes.add(r.getName());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(label + ": bad zone text: " + e.getMessage(), e);
    }
  }

  public String label() { return label; }
  public int queries() { return queries.get(); }
  public int tcpQueries() { return tcpQueries.get(); }

  /** Returned by an override to send nothing at all. */
  public static final Message DROP = new Message();

  /**
   * Adds a behaviour in front of the normal answer: return null to fall back (to earlier
   * overrides, then the zone data), {@link #DROP} to send nothing.
   */
  public MiniAuthority override(BiFunction<Message, Boolean, Message> f) {
    BiFunction<Message, Boolean, Message> previous = this.override;
    // The newest override is asked first; null from it falls back to the earlier ones.
    this.override = previous == null ? f : (q, tcp) -> {
      Message m = f.apply(q, tcp);
      return m != null ? m : previous.apply(q, tcp);
    };
    return this;
  }

  /** The reply to {@code query} (null: send nothing). */
  public Message handle(Message query, boolean tcp) {
    queries.incrementAndGet();
    if (tcp) tcpQueries.incrementAndGet();
    BiFunction<Message, Boolean, Message> o = override;
    if (o != null) {
      Message m = o.apply(query, tcp);
      if (m == DROP) return null;
      if (m != null) return m;
    }
    return answer(query);
  }

  /** A reply skeleton: same ID and question, QR set. */
  public static Message replyTo(Message query, int rcode) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setRcode(rcode);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    return m;
  }

  public Message answer(Message query) {
    Record q = query.getQuestion();
    Name qname = q.getName();
    int qtype = q.getType();
    Name apex = null;
    for (Name a : apexes) {
      if (qname.subdomain(a) && (apex == null || a.labels() > apex.labels())) apex = a;
    }
    if (apex == null) return replyTo(query, Rcode.REFUSED);
    // Referral: the highest cut below the apex that encloses qname (DS is answered above it).
    for (int strip = qname.labels() - apex.labels() - 1; strip >= 0; strip--) {
      Name n = strip == 0 ? qname : new Name(qname, strip);
      if (n.equals(apex) || (qtype == Type.DS && n.equals(qname))) continue;
      List<Record> ns = select(n, Type.NS);
      if (!ns.isEmpty()) {
        Message m = replyTo(query, Rcode.NOERROR);
        for (Record r : ns) {
          m.addRecord(r, Section.AUTHORITY);
          for (Record g : records) {
            if ((g.getType() == Type.A || g.getType() == Type.AAAA) && g.getName().equals(((NSRecord) r).getTarget())) {
              m.addRecord(g, Section.ADDITIONAL);
            }
          }
        }
        return m;
      }
    }
    Message m = replyTo(query, Rcode.NOERROR);
    m.getHeader().setFlag(Flags.AA);
    List<Record> exact = select(qname, qtype);
    if (!exact.isEmpty()) {
      exact.forEach(r -> m.addRecord(r, Section.ANSWER));
      if (qtype == Type.NS) {
        for (Record r : exact) {
          for (Record g : records) {
            if ((g.getType() == Type.A || g.getType() == Type.AAAA) && g.getName().equals(((NSRecord) r).getTarget())) {
              m.addRecord(g, Section.ADDITIONAL);
            }
          }
        }
      }
      return m;
    }
    List<Record> cname = select(qname, Type.CNAME);
    if (!cname.isEmpty()) {
      cname.forEach(r -> m.addRecord(r, Section.ANSWER));
      return m;
    }
    boolean exists = false;
    for (Record r : records) {
      if (r.getName().subdomain(qname)) exists = true;
    }
    if (!exists) m.getHeader().setRcode(Rcode.NXDOMAIN);
    select(apex, Type.SOA).forEach(r -> m.addRecord(r, Section.AUTHORITY));
    return m;
  }

  private List<Record> select(Name name, int type) {
    List<Record> out = new ArrayList<>();
    for (Record r : records) {
      if (r.getType() == type && r.getName().equals(name)) out.add(r);
    }
    return out;
  }
}
