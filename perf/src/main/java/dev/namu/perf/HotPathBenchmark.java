package dev.namu.perf;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.cache.AnswerCache;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import dev.namu.resolver.cache.Trust;
import dev.namu.server.NamudServer;
import dev.namu.resolver.Answer;
import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.auth.ResponseBuilder;
import dev.namu.server.auth.ResponseEncoder;
import dev.namu.server.auth.WireAnswers;
import dev.namu.server.intake.Request;
import dev.namu.server.intake.RequestDecoder;
import dev.namu.server.intake.ScannedQuery;
import dev.namu.server.intake.Transport;
import dev.namu.server.intake.WireGate;
import dev.namu.server.pipeline.QueryProcessor;
import dev.namu.server.pipeline.RecursionHandler;
import dev.namu.server.pipeline.Reply;
import dev.namu.server.pipeline.ReplyCounters;
import dev.namu.server.pipeline.AnswerTimes;
import dev.namu.server.pipeline.UnloadedZones;
import dev.namu.server.resolved.ResolvedAnswers;
import dev.namu.zones.lookup.AuthoritativeAnswer;
import dev.namu.zones.lookup.AuthoritativeAnswerer;
import dev.namu.zones.registry.ZoneRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The steps one authoritative UDP query goes through, each timed alone over a query mix on a
 * 100,000-host zone: header triage, the prepared-answer scan, full decoding, the zone lookup,
 * building and encoding a reply, a prepared-answer hit end to end (triage, scan, lookup, copy and
 * patch), the general path end to end, a resolver cache hit, and a kept copy of a resolved reply
 * end to end (triage, scan, copy, patch and TTL countdown). Each invocation handles one
 * query, the next of the mix, so the figure is time per query.
 *
 * <p>Run: {@code java -jar perf/target/benchmarks.jar} (all), or with a regular expression and
 * JMH options, e.g. {@code java -jar perf/target/benchmarks.jar HotPath.prepared -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class HotPathBenchmark {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

  @Param("100000")
  public int hosts;

  private BenchZone data;
  private WireGate gate;
  private RequestDecoder decoder;
  private AuthoritativeAnswerer answerer;
  private ResponseBuilder builder;
  private ResponseEncoder encoder;
  private QueryProcessor fast;
  private QueryProcessor general;
  private ByteBufAllocator alloc;
  private Request[] requests;
  private AuthoritativeAnswer[] answers;
  private AnswerCache cache;
  private QueryProcessor copied;
  private byte[][] recursive;
  private int next;
  private int nextRecursive;

  @Setup(Level.Trial)
  public void setUp() {
    data = BenchZone.create(hosts, 1 << 16);
    gate = new WireGate(op -> op == 0);
    decoder = new RequestDecoder();
    answerer = new AuthoritativeAnswerer();
    builder = new ResponseBuilder();
    encoder = new ResponseEncoder();
    alloc = PooledByteBufAllocator.DEFAULT;
    ZoneRegistry registry = new ZoneRegistry(data.zones);
    general = NamudServer.processor(registry, NamudServer.zoneLookup(), null, new ReplyCounters());
    fast =
        NamudServer.processor(
            registry,
            NamudServer.zoneLookup(),
            new PreparedAnswers(registry::current, PreparedAnswers.DEFAULT_MAX_BYTES),
            new ReplyCounters());
    int n = data.queries.length;
    requests = new Request[n];
    answers = new AuthoritativeAnswer[n];
    for (int i = 0; i < n; i++) {
      requests[i] =
          ((RequestDecoder.Decoded) decoder.decode(data.queries[i], Transport.UDP, PEER, data.zones))
              .request();
      answers[i] = answerer.answer(data.zones, data.names[i], data.types[i]).orElseThrow();
      // fill the prepared answers, as the warm-up of a running server does
      release(fast.process(data.queries[i], Transport.UDP, PEER, alloc));
    }
    cache = new AnswerCache(Ticker.systemTicker(), 1_000_000, 256L << 20, 0);
    long now = Ticker.systemTicker().read();
    for (int i = 0; i < n; i++) {
      RRset set = new RRset(new ARecord(data.names[i], DClass.IN, 3600, new byte[] {10, 0, 0, 1}));
      cache.put(
          data.names[i],
          data.types[i],
          CachedAnswer.positive(List.of(new CachedRRset(set, Trust.ANSWER, now, 3600)), List.of(), List.of()));
    }
    setUpCopies();
  }

  /**
   * 1,024 names in no zone, resolved once each by a resolver that answers at once, so that every
   * later query is answered from the kept copy, as the "resolver hot" load benchmark's are.
   */
  private void setUpCopies() {
    ZoneRegistry none = new ZoneRegistry();
    WireAnswers store = new WireAnswers(none::current, WireAnswers.DEFAULT_MAX_BYTES);
    RecursionHandler resolver =
        new RecursionHandler() {
          @Override
          public boolean accepts(Request request) {
            return true;
          }

          @Override
          public boolean availableTo(InetSocketAddress client) {
            return true;
          }

          @Override
          public CompletionStage<Answer> resolve(Request request) {
            RRset set =
                new RRset(new ARecord(request.question().getName(), DClass.IN, 3600, new byte[] {(byte) 192, 0, 2, 1}));
            return CompletableFuture.completedFuture(
                new Answer(Rcode.NOERROR, List.of(set), List.of(), List.of(), null,
                    Answer.Security.UNCHECKED, true, 3600));
          }
        };
    ReplyCounters counters = new ReplyCounters();
    copied =
        NamudServer.processor(none, NamudServer.zoneLookup(), new PreparedAnswers(store), counters, null,
            resolver, new ResolvedAnswers(store, Ticker.systemTicker()), UnloadedZones.NONE,
            AnswerTimes.NONE, null, dev.namu.server.config.RateLimitConfig.off());
    recursive = new byte[1024][];
    try {
      for (int i = 0; i < recursive.length; i++) {
        Message q = Message.newQuery(
            Record.newRecord(Name.fromString("host" + i + ".example.net."), Type.A, DClass.IN));
        q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        recursive[i] = q.toWire();
        release(copied.process(recursive[i], Transport.UDP, PEER, alloc));
      }
    } catch (org.xbill.DNS.TextParseException e) {
      throw new IllegalStateException(e);
    }
    release(copied.process(recursive[0], Transport.UDP, PEER, alloc));
    if (counters.resolvedHits() != 1) {
      throw new IllegalStateException("the resolved replies were not kept");
    }
  }

  private int index() {
    int i = next;
    next = (i + 1) & (data.queries.length - 1);
    return i;
  }

  private static void release(Reply reply) {
    if (reply instanceof Reply.Now now) {
      now.wire().release();
    }
  }

  @Benchmark
  public Object headerTriage() {
    return gate.triage(data.queries[index()]);
  }

  @Benchmark
  public ScannedQuery preparedScan() {
    return ScannedQuery.scan(data.queries[index()]);
  }

  @Benchmark
  public Object decode() {
    return decoder.decode(data.queries[index()], Transport.UDP, PEER, data.zones);
  }

  @Benchmark
  public Optional<AuthoritativeAnswer> zoneLookup() {
    int i = index();
    return answerer.answer(data.zones, data.names[i], data.types[i]);
  }

  @Benchmark
  public byte[] buildAndEncode() {
    int i = index();
    Message reply = builder.answer(requests[i], answers[i]);
    return encoder.encode(reply, requests[i]);
  }

  @Benchmark
  public void preparedHit(Blackhole bh) {
    Reply reply = fast.process(data.queries[index()], Transport.UDP, PEER, alloc);
    bh.consume(reply);
    release(reply);
  }

  @Benchmark
  public void generalPath(Blackhole bh) {
    Reply reply = general.process(data.queries[index()], Transport.UDP, PEER, alloc);
    bh.consume(reply);
    release(reply);
  }

  @Benchmark
  public void resolvedHit(Blackhole bh) {
    int i = nextRecursive;
    nextRecursive = (i + 1) & (recursive.length - 1);
    Reply reply = copied.process(recursive[i], Transport.UDP, PEER, alloc);
    bh.consume(reply);
    release(reply);
  }

  @Benchmark
  public CachedAnswer resolverCacheHit() {
    int i = index();
    return cache.get(data.names[i], data.types[i]);
  }
}
