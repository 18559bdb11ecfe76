package dev.namu.resolver.warmup;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.Answer;
import dev.namu.resolver.ResolverConfig;
import dev.namu.resolver.ResolverFactory;
import dev.namu.resolver.Resolver;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Pays a fresh JVM's JIT compilation of the resolver before its first real resolution. In a cold
 * cache every name costs an upstream exchange, a scrub, a classification and cache writes; a new
 * process runs that code interpreted and then compiles it, which measured over a third of the CPU
 * of its first 50,000 resolutions. Here a throwaway resolver (its own caches, {@link
 * SyntheticHierarchy} as its upstream: nothing leaves the process) resolves made-up names in
 * batches until the compilers fall quiet, so the real resolver starts on compiled code.
 *
 * <p>It stops after a batch during which the JIT compiled for less than {@link #QUIET_PERCENT}
 * of the batch's time (in a JVM that has compiled this code already, after the first batch), or at
 * {@link #MAX_NAMES} names, or after {@link #MAX_MILLIS}, whichever comes first.
 */
public final class JitWarmUp {
  /** Names resolved between two looks at the compilers. */
  static final int BATCH = 1000;
  /** At most this many names: one pass over the made-up zones' hosts. */
  static final int MAX_NAMES = 40 * SyntheticHierarchy.ZONES;
  /** At most this long, however busy the machine. */
  static final long MAX_MILLIS = 4000;
  /** The compilers are quiet when they worked less than this share of a batch's time. */
  static final int QUIET_PERCENT = 3;

  /** What a warm-up did. */
  /**
   * @param names resolutions run
   * @param answered those answered with the made-up host's address (all of them, unless the
   *     resolver took a path no real resolution takes)
   */
  public record Result(int names, int answered, long millis, long compileMillis) {}

  private JitWarmUp() {}

  /** Runs a warm-up on a thread of its own; the future completes when it is done (never exceptionally). */
  public static CompletableFuture<Result> start(ResolverConfig serving) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        done.complete(run(serving));
      } catch (RuntimeException | Error e) {
        done.complete(new Result(0, 0, 0, 0)); // a failed warm-up costs only speed
      }
    }, "namu-resolver-warm-up");
    t.setDaemon(true);
    t.start();
    return done;
  }

  /** Runs a warm-up on the calling thread. */
  public static Result run(ResolverConfig serving) {
    ResolverConfig config = ResolverConfig.builder()
        .rootHints(SyntheticHierarchy.hints())
        .qnameMinimisation(serving.qnameMinimisation())
        .minimalResponses(serving.minimalResponses())
        .upstreamCookies(serving.upstreamCookies())
        .ednsBufferSize(serving.ednsBufferSize())
        .build();
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    long start = System.nanoTime();
    long compileStart = timed ? jit.getTotalCompilationTime() : 0;
    int names = 0;
    int answered = 0;
    try (Resolver resolver = ResolverFactory.create(config, new SyntheticHierarchy(), Ticker.systemTicker(), new Random(1))) {
      while (names < MAX_NAMES) {
        long batchStart = System.nanoTime();
        long compiled = timed ? jit.getTotalCompilationTime() : 0;
        for (int i = 0; i < BATCH; i++, names++) {
          Answer a = resolver.resolve(query(names)).toCompletableFuture().join();
          if (a.rcode() == Rcode.NOERROR && a.answer().size() == 1) answered++;
        }
        long batchMillis = (System.nanoTime() - batchStart) / 1_000_000L;
        long batchCompile = timed ? jit.getTotalCompilationTime() - compiled : 0;
        if (!timed || batchCompile * 100 <= batchMillis * QUIET_PERCENT
            || (System.nanoTime() - start) / 1_000_000L >= MAX_MILLIS) {
          break;
        }
      }
    } catch (Exception e) {
      // close() of the throwaway resolver: nothing of it is used again
    }
    return new Result(names, answered, (System.nanoTime() - start) / 1_000_000L,
        timed ? jit.getTotalCompilationTime() - compileStart : 0);
  }

  /** The n-th name: hosts spread over every zone, as a cold cache sees them (one question each). */
  private static Message query(int n) {
    Message q = new Message(0);
    q.getHeader().setFlag(Flags.RD);
    q.addRecord(Record.newRecord(SyntheticHierarchy.host(n % SyntheticHierarchy.ZONES, n / SyntheticHierarchy.ZONES),
        Type.A, DClass.IN), Section.QUESTION);
    return q;
  }
}
