package dev.namu.server.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.namu.server.DnsWire;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class WireGateTest {
  private final WireGate gate = new WireGate(op -> op == Opcode.QUERY);

  @Test
  void runtsAndResponsesAreDropped() {
    for (int len = 0; len < 12; len++) {
      WireGate.Drop d = assertInstanceOf(WireGate.Drop.class, gate.triage(new byte[len]));
      assertEquals(WireGate.DropReason.RUNT, d.reason());
    }
    byte[] q = DnsWire.query("a.test.", Type.A).toWire();
    q[2] |= (byte) 0x80;
    assertEquals(WireGate.DropReason.RESPONSE, ((WireGate.Drop) gate.triage(q)).reason());
  }

  @Test
  void unknownOpcodeGetsNotimp() {
    byte[] q = DnsWire.query("a.test.", Type.A).toWire();
    q[2] = (byte) ((q[2] & 0x87) | (Opcode.UPDATE << 3));
    WireGate.Reject r = assertInstanceOf(WireGate.Reject.class, gate.triage(q));
    assertEquals(Rcode.NOTIMP, r.rcode());
  }

  @Test
  void badCountsGetFormerr() {
    byte[] q = DnsWire.query("a.test.", Type.A).toWire();
    for (int[] counts : new int[][] {{0, 0, 0}, {2, 0, 0}, {1, 1, 0}, {1, 0, 1}}) {
      byte[] m = q.clone();
      m[5] = (byte) counts[0];
      m[7] = (byte) counts[1];
      m[9] = (byte) counts[2];
      WireGate.Reject r = assertInstanceOf(WireGate.Reject.class, gate.triage(m));
      assertEquals(Rcode.FORMERR, r.rcode());
    }
    assertInstanceOf(WireGate.Pass.class, gate.triage(q));
  }
}
