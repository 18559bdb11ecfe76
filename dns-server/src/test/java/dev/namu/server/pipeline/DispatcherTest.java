package dev.namu.server.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.namu.server.NamudServer;
import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.intake.Request;
import dev.namu.server.intake.WireHeader;
import dev.namu.server.intake.Transport;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.registry.ZoneSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * UPDATE takes the same path as QUERY: header triage, one decoding into a {@link Request}, the
 * dispatcher, the reply writer's count; never the prepared answers of a query that looks alike.
 */
class DispatcherTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

  @Test
  void anUpdateIsDecodedOnceAndDispatchedToItsHandler() throws Exception {
    Name origin = Name.fromString("example.test.");
    ZoneRegistry registry = new ZoneRegistry(ZoneSet.of(List.of(ZoneSnapshot.build(origin, List.of(
        new SOARecord(origin, DClass.IN, 3600, Name.fromString("ns.example.test."),
            Name.fromString("hostmaster.example.test."), 1, 3600, 600, 86400, 300),
        new NSRecord(origin, DClass.IN, 3600, Name.fromString("ns.example.test.")))))));
    List<Request> handed = new CopyOnWriteArrayList<>();
    UpdateHandler handler = request -> {
      handed.add(request);
      return CompletableFuture.completedFuture(Rcode.REFUSED);
    };
    ReplyCounters counters = new ReplyCounters();
    QueryProcessor pipeline = NamudServer.processor(registry, NamudServer.zoneLookup(),
        new PreparedAnswers(registry::current, PreparedAnswers.DEFAULT_MAX_BYTES), counters, handler,
        null, null, UnloadedZones.NONE, AnswerTimes.NONE, null,
        dev.namu.server.config.RateLimitConfig.off());

    // the zone's SOA asked as a QUERY, twice: the second is a prepared answer
    Message soa = Message.newQuery(Record.newRecord(origin, Type.SOA, DClass.IN));
    soa.getHeader().unsetFlag(Flags.RD);
    for (int i = 0; i < 2; i++) {
      release(pipeline.process(soa.toWire(), Transport.UDP, PEER, UnpooledByteBufAllocator.DEFAULT));
    }
    assertEquals(1, counters.preparedHits());

    // an UPDATE of that zone has the same bytes but its opcode: it goes to the UPDATE handler
    byte[] update = soa.toWire();
    update[2] = (byte) ((Opcode.UPDATE << 3) | WireHeader.RD);
    Reply reply = pipeline.process(update, Transport.TCP, PEER, UnpooledByteBufAllocator.DEFAULT);
    // the handler here completes at once, so the reply may be written now or later
    ByteBuf wire = reply instanceof Reply.Now now
        ? now.wire()
        : assertInstanceOf(Reply.Later.class, reply).wire().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Message answered = new Message(ByteBufUtil.getBytes(wire));
    wire.release();
    assertEquals(Rcode.REFUSED, answered.getRcode(), answered.toString());
    // RFC 2136 3.8: the reply echoes the ID, the opcode and the zone section; RD is a QUERY flag
    assertEquals(Opcode.UPDATE, answered.getHeader().getOpcode());
    assertEquals(WireHeader.id(update), answered.getHeader().getID());
    assertEquals(origin, answered.getQuestion().getName());
    assertFalse(answered.getHeader().getFlag(Flags.RD), answered.toString());
    assertEquals(1, handed.size());
    Request request = handed.get(0);
    assertArrayEquals(update, request.wire(), "the handler has the bytes as sent, for the TSIG");
    assertEquals(PEER, request.peer());
    assertEquals(origin, request.question().getName(), "the zone section");
    assertEquals(1, counters.preparedHits(), "never a prepared answer for an UPDATE");
    assertEquals(1, counters.opcodeCount(Opcode.UPDATE), "counted once, as an UPDATE");
    assertEquals(1, counters.transportCount(Transport.TCP));
    assertEquals(0, counters.internalErrorCount());
  }

  private static void release(Reply reply) {
    if (reply instanceof Reply.Now now) {
      now.wire().release();
    }
  }
}
