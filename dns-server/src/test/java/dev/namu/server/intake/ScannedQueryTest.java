package dev.namu.server.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ScannedQueryTest {
  @Test
  void plainQueriesScanWithCaseFoldedKeys() {
    ScannedQuery a = ScannedQuery.scan(DnsWire.query("WWW.Example.TEST.", Type.A).toWire());
    ScannedQuery b = ScannedQuery.scan(DnsWire.query("www.example.test.", Type.A).toWire());
    assertNotNull(a);
    assertEquals(a.key(), b.key());
    assertEquals(a.key().hashCode(), b.key().hashCode());
    assertNull(a.edns());
    assertEquals(18, a.key().nameLength());
  }

  @Test
  void ednsAndDoAreInTheKey() {
    ScannedQuery plain = ScannedQuery.scan(DnsWire.query("www.example.test.", Type.A).toWire());
    ScannedQuery edns = ScannedQuery.scan(DnsWire.queryEdns("www.example.test.", Type.A, 1232, false).toWire());
    ScannedQuery dnssec = ScannedQuery.scan(DnsWire.queryEdns("www.example.test.", Type.A, 4096, true).toWire());
    assertTrue(!plain.key().equals(edns.key()) && !edns.key().equals(dnssec.key()));
    assertEquals(1232, edns.edns().udpPayloadSize());
    assertTrue(dnssec.edns().dnssecOk());
    ScannedQuery otherSize = ScannedQuery.scan(DnsWire.queryEdns("www.example.test.", Type.A, 512, false).toWire());
    assertEquals(edns.key(), otherSize.key(), "the size is checked against the reply, not keyed");
  }

  @Test
  void cookiesSubnetAndVersionsDoNotScan() throws Exception {
    // a cookie's reply carries a server cookie made for its client: never a shared prepared copy
    Message cookie = DnsWire.query("www.example.test.", Type.A);
    cookie.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new CookieOption(new byte[8]))), Section.ADDITIONAL);
    assertNull(ScannedQuery.scan(cookie.toWire()));
    Message ecs = DnsWire.query("www.example.test.", Type.A);
    ecs.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new ClientSubnetOption(24, java.net.InetAddress.getByName("192.0.2.0")))),
        Section.ADDITIONAL);
    assertNull(ScannedQuery.scan(ecs.toWire()));
    Message v1 = DnsWire.query("www.example.test.", Type.A);
    v1.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    assertNull(ScannedQuery.scan(v1.toWire()));
  }

  @Test
  void oddShapesGoTheGeneralWay() {
    byte[] q = DnsWire.query("www.example.test.", Type.A).toWire();
    byte[] trailing = java.util.Arrays.copyOf(q, q.length + 3);
    assertNull(ScannedQuery.scan(trailing));
    byte[] cut = java.util.Arrays.copyOf(q, q.length - 2);
    assertNull(ScannedQuery.scan(cut));
    byte[] pointer = q.clone();
    pointer[12] = (byte) 0xC0;
    assertNull(ScannedQuery.scan(pointer));
  }

  @Test
  void aProbeFindsTheKeyItsQueryWouldMakeWithoutAllocatingOne() {
    java.util.Map<QuestionKey, String> map = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.Random random = new java.util.Random(3);
    String[] names = {"www.example.test.", "a.b.c.d.e.", "x.", ".", "MiXeD-42.Example.ORG."};
    int[] types = {Type.A, Type.AAAA, Type.MX};
    for (String n : names) {
      for (int t : types) {
        map.put(ScannedQuery.scan(DnsWire.query(n.toLowerCase(), t).toWire()).key(), n + t);
        map.put(ScannedQuery.scan(DnsWire.queryEdns(n.toLowerCase(), t, 1232, true).toWire()).key(), n + t + "do");
      }
    }
    QuestionProbe probe = new QuestionProbe();
    for (String n : names) {
      for (int t : types) {
        StringBuilder cased = new StringBuilder();
        for (char c : n.toCharArray()) {
          cased.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        byte[] plain = DnsWire.query(cased.toString(), t).toWire();
        assertTrue(probe.scan(plain));
        assertEquals(ScannedQuery.scan(plain).key().hashCode(), probe.hashCode());
        assertEquals(n + t, map.get(probe), cased.toString());
        assertTrue(probe.scan(DnsWire.queryEdns(cased.toString(), t, 4096, true).toWire()));
        assertEquals(n + t + "do", map.get(probe));
        assertTrue(probe.scan(DnsWire.queryEdns(cased.toString(), t, 4096, false).toWire()));
        assertNull(map.get(probe), "no DO key was stored");
      }
    }
    assertTrue(probe.scan(DnsWire.query("other.example.test.", Type.A).toWire()));
    assertNull(map.get(probe));
    byte[] pointer = DnsWire.query("www.example.test.", Type.A).toWire();
    pointer[12] = (byte) 0xC0;
    assertTrue(!probe.scan(pointer));
  }
}
