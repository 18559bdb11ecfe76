package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** namud with no --zones serves the example zones built into it. */
class DefaultZonesTest {
  @Test
  void withoutZonesFlagTheExampleZonesAreServed() throws IOException {
    try (NamudServer server = Hermetic.start("--listen", "127.0.0.1:0")) {
      InetSocketAddress a = server.boundAddresses().get(0);
      Message soa = DnsWire.udp(a, DnsWire.query("home.lan.", Type.SOA));
      assertEquals(Rcode.NOERROR, soa.getRcode());
      assertTrue(soa.getHeader().getFlag(Flags.AA));
      assertEquals(1, soa.getSection(Section.ANSWER).size());
      Message reverse = DnsWire.tcp(a, DnsWire.query("0.168.192.in-addr.arpa.", Type.SOA));
      assertEquals(Rcode.NOERROR, reverse.getRcode());
      assertFalse(reverse.getSection(Section.ANSWER).isEmpty());
      Message local = DnsWire.udp(a, DnsWire.query("1.0.0.127.in-addr.arpa.", Type.PTR));
      assertEquals("localhost.", local.getSection(Section.ANSWER).get(0).rdataToString());
    }
  }
}
