package dev.namu.resolver.testnet;

import java.util.LinkedHashMap;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * The test DNS tree: a root (127.0.0.11), "test." (.12), leaf zones (.13 leaf.test, dead.test,
 * lame.test; .14 other.test; .15 glueless.test), a dead address (.16, nothing there) and a
 * lame one (.17, REFUSED for everything).
 */
public final class TestHierarchy {
  public static final String ROOT = "127.0.0.11";
  public static final String DEAD = "127.0.0.16";
  public static final int NXNS_NAMES = 40;

  public final MiniAuthority root = new MiniAuthority("root", """
      . 86400 IN SOA ns.root.invalid. admin.root.invalid. 1 3600 600 86400 3600
      . 518400 IN NS ns.root.invalid.
      ns.root.invalid. 518400 IN A 127.0.0.11
      test. 172800 IN NS ns.test.
      ns.test. 172800 IN A 127.0.0.12
      """);

  public final MiniAuthority tld = new MiniAuthority("test", nxnsDelegation() + """
      test. 3600 IN SOA ns.test. admin.test. 1 3600 600 86400 300
      test. IN NS ns.test.
      ns.test. IN A 127.0.0.12
      leaf.test. IN NS ns.leaf.test.
      ns.leaf.test. IN A 127.0.0.13
      other.test. IN NS ns.other.test.
      ns.other.test. IN A 127.0.0.14
      glueless.test. IN NS ns1.other.test.
      dead.test. IN NS ns.dead.test.
      dead.test. IN NS ns2.dead.test.
      ns.dead.test. IN A 127.0.0.16
      ns2.dead.test. IN A 127.0.0.13
      alldead.test. IN NS ns.alldead.test.
      ns.alldead.test. IN A 127.0.0.16
      lame.test. IN NS ns.lame.test.
      lame.test. IN NS ns2.lame.test.
      ns.lame.test. IN A 127.0.0.17
      ns2.lame.test. IN A 127.0.0.13
      silent.test. IN NS ns.silent.test.
      ns.silent.test. IN A 127.0.0.18
      noedns.test. IN NS ns.noedns.test.
      ns.noedns.test. IN A 127.0.0.19
      """);

  public final MiniAuthority leaf = new MiniAuthority("leaf", chain() + """
      leaf.test. 3600 IN SOA ns.leaf.test. admin.leaf.test. 1 3600 600 86400 60
      leaf.test. IN NS ns.leaf.test.
      ns.leaf.test. IN A 127.0.0.13
      www.leaf.test. 300 IN A 192.0.2.80
      alias.leaf.test. 300 IN CNAME www.glueless.test.
      big.leaf.test. 300 IN TXT "placeholder, replaced by the TCP answer"
      poison.leaf.test. 300 IN A 192.0.2.81
      spoof.leaf.test. 300 IN A 192.0.2.82
      dead.test. 3600 IN SOA ns.dead.test. admin.dead.test. 1 3600 600 86400 60
      dead.test. IN NS ns.dead.test.
      dead.test. IN NS ns2.dead.test.
      www.dead.test. 300 IN A 192.0.2.50
      lame.test. 3600 IN SOA ns.lame.test. admin.lame.test. 1 3600 600 86400 60
      lame.test. IN NS ns.lame.test.
      lame.test. IN NS ns2.lame.test.
      www.lame.test. 300 IN A 192.0.2.60
      """);

  public final MiniAuthority other = new MiniAuthority("other", """
      other.test. 3600 IN SOA ns.other.test. admin.other.test. 1 3600 600 86400 60
      other.test. IN NS ns.other.test.
      ns.other.test. IN A 127.0.0.14
      ns1.other.test. IN A 127.0.0.15
      """);

  public final MiniAuthority glueless = new MiniAuthority("glueless", """
      glueless.test. 3600 IN SOA ns1.other.test. admin.glueless.test. 1 3600 600 86400 60
      glueless.test. IN NS ns1.other.test.
      www.glueless.test. 120 IN A 192.0.2.90
      """);

  /** Drops every query (a black hole: only timeouts tell). */
  public final MiniAuthority silent = new MiniAuthority("silent", "").override((q, tcp) -> MiniAuthority.DROP);

  /** An old server: FORMERR without OPT to any EDNS query (RFC 6891 section 7). */
  public final MiniAuthority noEdns = new MiniAuthority("noedns", """
      noedns.test. 3600 IN SOA ns.noedns.test. admin.noedns.test. 1 3600 600 86400 60
      noedns.test. IN NS ns.noedns.test.
      ns.noedns.test. IN A 127.0.0.19
      www.noedns.test. 300 IN A 192.0.2.70
      """);

  public final MiniAuthority lame = new MiniAuthority("lame", "").override((q, tcp) -> MiniAuthority.replyTo(q, Rcode.REFUSED));

  public TestHierarchy() {
    noEdns.override((q, tcp) -> q.getOPT() != null ? MiniAuthority.replyTo(q, Rcode.FORMERR) : null);
    // big.leaf.test: UDP replies are truncated (TC, no data); TCP gets the full answer.
    leaf.override((q, tcp) -> {
      if (!q.getQuestion().getName().equals(Name.fromConstantString("big.leaf.test."))) return null;
      Message m = MiniAuthority.replyTo(q, Rcode.NOERROR);
      m.getHeader().setFlag(Flags.AA);
      if (!tcp) {
        m.getHeader().setFlag(Flags.TC);
        return m;
      }
      m.addRecord(new TXTRecord(q.getQuestion().getName(), DClass.IN, 300, "x".repeat(200)), Section.ANSWER);
      return m;
    });
  }

  /** address -> server, for the in-memory transport and the loopback network alike. */
  public Map<String, MiniAuthority> servers() {
    Map<String, MiniAuthority> m = new LinkedHashMap<>();
    m.put(ROOT, root);
    m.put("127.0.0.12", tld);
    m.put("127.0.0.13", leaf);
    m.put("127.0.0.14", other);
    m.put("127.0.0.15", glueless);
    m.put("127.0.0.17", lame);
    m.put("127.0.0.18", silent);
    m.put("127.0.0.19", noEdns);
    return m;
  }

  public InMemoryTransport inMemory() {
    InMemoryTransport t = new InMemoryTransport();
    servers().forEach(t::add);
    return t;
  }

  /** c0.leaf.test CNAME c1 ... c14 CNAME www.leaf.test: 15 links, over the default limit of 11. */
  private static String chain() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 15; i++) {
      b.append("c").append(i).append(".leaf.test. 300 IN CNAME ")
          .append(i == 14 ? "www.leaf.test." : "c" + (i + 1) + ".leaf.test.").append('\n');
    }
    return b.toString();
  }

  /** nxns.test delegated to 40 NS names in zones that do not exist (the NXNSAttack shape). */
  private static String nxnsDelegation() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < NXNS_NAMES; i++) {
      b.append("nxns.test. IN NS ns").append(i).append(".nowhere").append(i).append(".test.\n");
    }
    return b.toString();
  }
}
