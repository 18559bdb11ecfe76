package dev.namu.server.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.junit.Lifecycle;
import dev.namu.server.NamudServer;
import dev.namu.server.intake.Request;
import dev.namu.server.intake.Transport;
import dev.namu.server.intake.WireHeader;
import dev.namu.server.pipeline.AnswerTimes;
import dev.namu.server.pipeline.QueryProcessor;
import dev.namu.server.pipeline.Reply;
import dev.namu.server.pipeline.ReplyCounters;
import dev.namu.server.pipeline.UnloadedZones;
import dev.namu.server.pipeline.UpdateHandler;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.StoredKey;
import dev.namu.zones.store.memory.MemoryZoneStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * UPDATE messages through the pipeline with a TSIG key configured: each input is sent as it is
 * (the TSIG check meets whatever signature it carries) and, when dnsjava reads it, again signed
 * afresh with the key (so the update decoder and the zone's writer are reached past the check).
 * Every reply parses, has the request's ID and QR; nothing throws, nothing is an internal error
 * (a SERVFAIL).
 */
class UpdateFuzzTest {
  static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
  static final Name ZONE = Name.fromConstantString("example.test.");
  static final Name KEY = Name.fromConstantString("acme.");

  private QueryProcessor pipeline;
  private ReplyCounters counters;

  @BeforeEach
  void setUp() throws IOException {
    MemoryZoneStore store = new MemoryZoneStore();
    ZoneRegistry registry = new ZoneRegistry();
    ZoneEditor editor = ZoneEditor.open(store, registry);
    editor.create(ZONE, List.of(
        Record.fromString(ZONE, Type.SOA, DClass.IN, 3600, "ns1 admin 1 3600 600 86400 300", ZONE),
        Record.fromString(ZONE, Type.NS, DClass.IN, 3600, "ns1", ZONE),
        Record.fromString(Name.fromConstantString("ns1.example.test."), Type.A, DClass.IN, 3600, "192.0.2.1", ZONE)),
        "test");
    store.putKey(new StoredKey(KEY, "hmac-sha256", Base64.getEncoder().encodeToString(SECRET), Instant.now()));
    TsigKeyring keyring = new TsigKeyring(store);
    UpdateResponder responder = new UpdateResponder(editor, keyring::scope);
    UpdateHandler updates = new UpdateHandler() {
      @Override
      public CompletionStage<Integer> update(Request request) {
        return CompletableFuture.completedFuture(
            responder.respond(request.query(), request.signature(), request.peer().getAddress()));
      }

      @Override
      public RequestSignature signature(Message query, byte[] packet) {
        return keyring.check(query, packet);
      }
    };
    counters = new ReplyCounters();
    pipeline = NamudServer.processor(registry, NamudServer.zoneLookup(), null, counters,
        updates, null, null, UnloadedZones.NONE, AnswerTimes.NONE, null,
        dev.namu.server.config.RateLimitConfig.off());
  }

  /** The key the server holds, as a client signs with it. */
  static TSIG key() {
    return new TSIG(TSIG.HMAC_SHA256, KEY, SECRET);
  }

  @FuzzTest(maxDuration = "3m", lifecycle = Lifecycle.PER_EXECUTION)
  void signedUpdate(byte[] packet) throws Exception {
    if (packet == null) {
      return;
    }
    check(packet);
    byte[] signed;
    try {
      Message parsed = new Message(packet);
      if (parsed.getTSIG() != null) {
        parsed.removeRecord(parsed.getTSIG(), Section.ADDITIONAL);
      }
      key().apply(parsed, null);
      signed = parsed.toWire(65535);
    } catch (IOException | RuntimeException e) {
      // dnsjava cannot read this message, or write it back (it keeps a truncated message's
      // counts with sections missing): nothing to sign
      return;
    }
    check(signed);
  }

  /**
   * An UPDATE with TC set whose header counts a record the message lacks: dnsjava reads a
   * truncated message without the missing sections, and asking it for the TSIG then throws.
   */
  @Test
  void truncatedUpdateCountingAMissingRecordIsFormerr() throws Exception {
    Update update = new Update(ZONE);
    byte[] packet = update.toWire();
    packet[2] |= 0x02; // TC
    packet[11] = 1; // ARCOUNT 1, and no record follows
    Message reply = check(packet);
    assertEquals(Rcode.FORMERR, reply.getRcode(), reply.toString());
  }

  /** The reply to {@code packet}, checked; null when there is none. */
  private Message check(byte[] packet) throws Exception {
    Reply reply = pipeline.process(packet, Transport.TCP, CLIENT, UnpooledByteBufAllocator.DEFAULT);
    ByteBuf out;
    if (reply instanceof Reply.Now now) {
      out = now.wire();
    } else if (reply instanceof Reply.Later later) {
      out = later.wire().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } else {
      assertTrue(reply instanceof Reply.None, "one reply or none: " + reply);
      assertTrue(packet.length < WireHeader.LENGTH || WireHeader.isResponse(packet), "a request dropped");
      return null;
    }
    byte[] wire = ByteBufUtil.getBytes(out);
    out.release();
    Message m;
    try {
      m = new Message(wire);
    } catch (IOException e) {
      throw new AssertionError("the reply does not parse: " + e.getMessage());
    }
    assertEquals(WireHeader.id(packet), m.getHeader().getID(), "the request's ID");
    assertTrue(m.getHeader().getFlag(Flags.QR), "QR set");
    assertEquals(0, counters.internalErrorCount(), "no internal error");
    // the zone's writer answers SERVFAIL only for a failure of ours (the store here cannot fail)
    assertNotEquals(Rcode.SERVFAIL, m.getRcode(), "an UPDATE failed unexpectedly");
    return m;
  }
}
