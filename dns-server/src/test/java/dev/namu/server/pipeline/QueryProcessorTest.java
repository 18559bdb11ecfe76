package dev.namu.server.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.Answer;
import dev.namu.server.DnsWire;
import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.auth.ResponseBuilder;
import dev.namu.server.auth.ResponseEncoder;
import dev.namu.server.intake.Request;
import dev.namu.server.intake.Transport;
import dev.namu.server.intake.WireHeader;
import dev.namu.zones.lookup.AuthoritativeAnswer;
import dev.namu.zones.registry.ZoneRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The pipeline on its own, with a stand-in lookup: failures, recursion seam, prepared answers. */
class QueryProcessorTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Name BOOM = Name.fromConstantString("boom.example.");

  /** Answers an A record for names in example., throws for boom.example., nothing elsewhere. */
  private static Optional<AuthoritativeAnswer> lookup(
      dev.namu.zones.registry.ZoneSet zones, Name qname, int qtype) {
    if (qname.equals(BOOM)) {
      throw new IllegalStateException("lookup bug");
    }
    if (!qname.subdomain(ZONE)) {
      return Optional.empty();
    }
    RRset a = new RRset(new ARecord(qname, DClass.IN, 60, new byte[] {192 - 256, 0, 2, 1}));
    return Optional.of(new AuthoritativeAnswer(Rcode.NOERROR, true, List.of(a), List.of(), List.of()));
  }

  private static byte[] bytes(Reply reply) {
    ByteBuf b = assertInstanceOf(Reply.Now.class, reply).wire();
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }

  @Test
  void unexpectedExceptionBecomesCountedServfail() throws Exception {
    ZoneRegistry registry = new ZoneRegistry();
    ReplyCounters counters = new ReplyCounters();
    QueryProcessor p =
        dev.namu.server.NamudServer.processor(registry, QueryProcessorTest::lookup, null, counters);
    Message q = DnsWire.queryEdns("boom.example.", Type.A, 1232, false);
    Message r = new Message(bytes(p.process(q.toWire(), Transport.UDP, PEER, UnpooledByteBufAllocator.DEFAULT)));
    assertEquals(Rcode.SERVFAIL, r.getRcode());
    assertEquals(q.getHeader().getID(), r.getHeader().getID());
    assertEquals(q.getQuestion(), r.getQuestion());
    assertEquals(1, counters.internalErrorCount());
    Message ok = new Message(bytes(p.process(DnsWire.query("ok.example.", Type.A).toWire(), Transport.TCP, PEER, UnpooledByteBufAllocator.DEFAULT)));
    assertEquals(Rcode.NOERROR, ok.getRcode());
    assertTrue(ok.getHeader().getFlag(Flags.AA));
  }

  @Test
  void anOpcodeNotServedGetsNotimpWithItsHeaderAndQuestionButNotRd() throws Exception {
    ReplyCounters counters = new ReplyCounters();
    QueryProcessor p = dev.namu.server.NamudServer.processor(
        new ZoneRegistry(), QueryProcessorTest::lookup, null, counters);
    byte[] update = DnsWire.query("example.", Type.SOA).toWire();
    update[2] = (byte) ((Opcode.UPDATE << 3) | WireHeader.RD); // no zone store here: not served
    Message r = new Message(bytes(p.process(update, Transport.UDP, PEER, UnpooledByteBufAllocator.DEFAULT)));
    assertEquals(Rcode.NOTIMP, r.getRcode());
    assertEquals(WireHeader.id(update), r.getHeader().getID());
    assertEquals(Opcode.UPDATE, r.getHeader().getOpcode());
    assertTrue(r.getHeader().getFlag(Flags.QR));
    // RFC 2136 2.2: RD means nothing in an UPDATE, so it is not copied
    assertFalse(r.getHeader().getFlag(Flags.RD), r.toString());
    assertEquals(ZONE, r.getQuestion().getName(), "the zone section is echoed");
    assertEquals(1, counters.rcodeCount(Rcode.NOTIMP), "written and counted once");
  }

  @Test
  void recursionSeamAnswersLaterAndFailuresBecomeServfail() throws Exception {
    ZoneRegistry registry = new ZoneRegistry();
    ResponseBuilder builder = new ResponseBuilder();
    CompletableFuture<Message> pending = new CompletableFuture<>();
    Answer noError = new Answer(Rcode.NOERROR, List.of(), List.of(), List.of(), null,
        Answer.Security.UNCHECKED, true, -1);
    RecursionHandler recursion =
        new RecursionHandler() {
          @Override
          public boolean accepts(Request request) {
            return true;
          }

          @Override
          public CompletionStage<Answer> resolve(Request request) {
            return pending.thenApply(m -> noError);
          }
        };
    ZoneRouter router = new ZoneRouter(QueryProcessorTest::lookup, recursion, builder);
    QueryProcessor p =
        new QueryProcessor(
            registry::current,
            new Dispatcher(router, null),
            null,
            // recursion is available to every client here: RA is the writer's, by that policy
            new ReplyWriter(new ResponseEncoder(), new ReplyCounters(), client -> true),
            null, AnswerTimes.NONE, null);
    Message q = DnsWire.query("www.elsewhere.", Type.A);
    Reply.Later later =
        assertInstanceOf(Reply.Later.class, p.process(q.toWire(), Transport.UDP, PEER, UnpooledByteBufAllocator.DEFAULT));
    assertTrue(!later.wire().toCompletableFuture().isDone(), "nothing blocks while recursion runs");
    pending.complete(new Message());
    ByteBuf wire = later.wire().toCompletableFuture().get(1, TimeUnit.SECONDS);
    Message r = new Message(ByteBufUtil.getBytes(wire));
    wire.release();
    assertEquals(q.getHeader().getID(), r.getHeader().getID());
    assertTrue(r.getHeader().getFlag(Flags.RA));

    CompletableFuture<Answer> failing = new CompletableFuture<>();
    ZoneRouter failingRouter =
        new ZoneRouter(
            QueryProcessorTest::lookup,
            new RecursionHandler() {
              @Override
              public boolean accepts(Request request) {
                return true;
              }

              @Override
              public CompletionStage<Answer> resolve(Request request) {
                return failing;
              }
            },
            builder);
    QueryProcessor p2 =
        new QueryProcessor(registry::current, new Dispatcher(failingRouter, null),
            null, new ReplyWriter(new ResponseEncoder(), new ReplyCounters(), client -> false), null,
            AnswerTimes.NONE, null);
    Reply.Later l2 = (Reply.Later) p2.process(q.toWire(), Transport.TCP, PEER, UnpooledByteBufAllocator.DEFAULT);
    failing.completeExceptionally(new RuntimeException("upstream timeout"));
    ByteBuf w2 = l2.wire().toCompletableFuture().get(1, TimeUnit.SECONDS);
    assertEquals(Rcode.SERVFAIL, new Message(ByteBufUtil.getBytes(w2)).getRcode());
    w2.release();
  }

  @Test
  void preparedAnswersAreUsedAndDroppedWithTheirZoneSet() throws Exception {
    ZoneRegistry registry = new ZoneRegistry();
    ReplyCounters counters = new ReplyCounters();
    PreparedAnswers prepared = new PreparedAnswers(registry::current, 1 << 20);
    QueryProcessor p =
        dev.namu.server.NamudServer.processor(registry, QueryProcessorTest::lookup, prepared, counters);
    byte[] q = DnsWire.query("www.example.", Type.A).toWire();
    bytes(p.process(q, Transport.UDP, PEER, UnpooledByteBufAllocator.DEFAULT));
    assertEquals(0, counters.preparedHits());
    assertEquals(1, prepared.size());
    bytes(p.process(q, Transport.UDP, PEER, UnpooledByteBufAllocator.DEFAULT));
    assertEquals(1, counters.preparedHits());
    // REFUSED is not prepared
    byte[] refused = DnsWire.query("www.other.", Type.A).toWire();
    bytes(p.process(refused, Transport.UDP, PEER, UnpooledByteBufAllocator.DEFAULT));
    bytes(p.process(refused, Transport.UDP, PEER, UnpooledByteBufAllocator.DEFAULT));
    assertEquals(1, counters.preparedHits());
    // a new zone set retires every prepared answer
    registry.publish(
        dev.namu.zones.registry.ZoneSet.of(
            dev.namu.server.auth.LocalZones.notCoveredBy(dev.namu.zones.registry.ZoneSet.empty())));
    bytes(p.process(q, Transport.UDP, PEER, UnpooledByteBufAllocator.DEFAULT));
    assertEquals(1, counters.preparedHits());
  }

  @Test
  void tcpRepliesMayExceedUdpLimits() throws Exception {
    ZoneRegistry registry = new ZoneRegistry();
    QueryProcessor p =
        dev.namu.server.NamudServer.processor(registry, (z, n, t) -> {
          RRset big = new RRset();
          for (int i = 0; i < 100; i++) {
            big.addRR(new ARecord(n, DClass.IN, 60, new byte[] {10, 0, (byte) (i >> 8), (byte) i}));
          }
          return Optional.of(new AuthoritativeAnswer(Rcode.NOERROR, true, List.of(big), List.of(), List.of()));
        }, null, new ReplyCounters());
    byte[] q = DnsWire.query("many.example.", Type.A).toWire();
    Message udp = new Message(bytes(p.process(q, Transport.UDP, PEER, UnpooledByteBufAllocator.DEFAULT)));
    assertTrue(udp.getHeader().getFlag(Flags.TC));
    assertTrue(udp.getSection(Section.ANSWER).isEmpty(), "the one RRset does not fit: dropped whole");
    Message tcp = new Message(bytes(p.process(q, Transport.TCP, PEER, UnpooledByteBufAllocator.DEFAULT)));
    assertEquals(100, tcp.getSection(Section.ANSWER).size());
  }
}
