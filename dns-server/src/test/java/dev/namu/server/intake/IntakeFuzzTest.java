package dev.namu.server.intake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;

/**
 * The header triage and the question scan against dnsjava's full parse: whatever the scan accepts
 * for the fast path must be a message the full decoder reads to the same question and EDNS, and
 * the probe must find the key made from it (else a prepared answer goes to the wrong query).
 */
class IntakeFuzzTest {
  private final WireGate gate = new WireGate(op -> op == Opcode.QUERY || op == Opcode.UPDATE);

  @FuzzTest(maxDuration = "3m")
  void triageAndScan(byte[] packet) {
    if (packet == null) {
      return;
    }
    WireGate.Verdict verdict = gate.triage(packet);
    if (packet.length < WireHeader.LENGTH || WireHeader.isResponse(packet)) {
      assertTrue(verdict instanceof WireGate.Drop, "a runt or a response is dropped");
      return;
    }
    if (!(verdict instanceof WireGate.Pass) || WireHeader.opcode(packet) != Opcode.QUERY) {
      return;
    }
    QuestionProbe probe = new QuestionProbe();
    if (!probe.scan(packet)) {
      return;
    }
    ScannedQuery scanned = probe.toScanned();
    assertEquals(scanned.key().hashCode(), probe.hashCode(), "probe and key hash alike");
    assertTrue(probe.equals(scanned.key()), "the probe finds its own key");

    Message full;
    try {
      full = new Message(packet);
    } catch (IOException e) {
      throw new AssertionError("the scan took a packet the full parse refuses: " + e.getMessage());
    }
    Record question = full.getQuestion();
    byte[] lowered = new byte[probe.nameLength()];
    for (int i = 0; i < lowered.length; i++) {
      lowered[i] = QuestionKey.lower(packet[ScannedQuery.NAME_OFFSET + i]);
    }
    assertArrayEquals(question.getName().canonicalize().toWire(), lowered, "the parse's name");
    assertEquals(question.getType(), scanned.key().qtype());
    assertEquals(question.getDClass(), scanned.key().qclass());
    OPTRecord opt = full.getOPT();
    assertEquals(opt != null, scanned.edns() != null, "EDNS seen alike");
    if (opt != null) {
      assertEquals(opt.getPayloadSize(), scanned.edns().udpPayloadSize());
    }
  }
}
