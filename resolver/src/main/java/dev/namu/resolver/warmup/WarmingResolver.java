package dev.namu.resolver.warmup;

import dev.namu.resolver.Answer;
import dev.namu.resolver.CacheDump;
import dev.namu.resolver.CacheStats;
import dev.namu.resolver.InfraEntry;
import dev.namu.resolver.Resolver;
import dev.namu.resolver.ResolverConfig;
import dev.namu.resolver.UpstreamTrace;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * A resolver whose first resolution starts a {@link JitWarmUp} and waits for it, as do the
 * resolutions asked meanwhile; later ones go straight through. The warm-up is paid once, when
 * recursion is first used (a server that only answers for its zones never pays it), and on a
 * thread of its own, so that the first names a fresh process resolves run compiled code. Answers
 * from the cache alone ({@link #cached}) never wait: they cost no upstream work.
 */
public final class WarmingResolver implements Resolver {
  private static final Logger LOG = LoggerFactory.getLogger(WarmingResolver.class);
  private final Resolver resolver;
  private final ResolverConfig config;
  /** The warm-up, once started; shared with the resolvers {@link #reconfigured} from this one. */
  private final AtomicReference<CompletableFuture<JitWarmUp.Result>> warmUp;

  private WarmingResolver(Resolver resolver, ResolverConfig config,
      AtomicReference<CompletableFuture<JitWarmUp.Result>> warmUp) {
    this.resolver = resolver;
    this.config = config;
    this.warmUp = warmUp;
  }

  /** {@code resolver} (of {@code config}), warmed up before its first resolution. */
  public static WarmingResolver of(Resolver resolver, ResolverConfig config) {
    return new WarmingResolver(resolver, config, new AtomicReference<>());
  }

  /** The warm-up: started by the first call, the same future for every later one. */
  CompletableFuture<JitWarmUp.Result> warmUp() {
    CompletableFuture<JitWarmUp.Result> f = warmUp.get();
    if (f != null) return f;
    CompletableFuture<JitWarmUp.Result> mine = new CompletableFuture<>();
    if (!warmUp.compareAndSet(null, mine)) return warmUp.get();
    JitWarmUp.start(config).thenAccept(r -> {
      LOG.info("resolver warmed up: {} names resolved in {} ms, {} ms of JIT compilation", r.names(), r.millis(),
          r.compileMillis());
      mine.complete(r);
    });
    return mine;
  }

  private CompletionStage<Answer> afterWarmUp(java.util.function.Supplier<CompletionStage<Answer>> resolution) {
    CompletableFuture<JitWarmUp.Result> w = warmUp();
    if (w.isDone()) return resolution.get();
    return w.thenCompose(r -> resolution.get());
  }

  @Override
  public CompletionStage<Answer> resolve(Message query) {
    return afterWarmUp(() -> resolver.resolve(query));
  }

  @Override
  public CompletionStage<Answer> resolve(Message query, UpstreamTrace trace) {
    return afterWarmUp(() -> resolver.resolve(query, trace));
  }

  @Override
  public CompletionStage<Answer> resolve(Message query, UpstreamTrace trace, InetAddress client) {
    return afterWarmUp(() -> resolver.resolve(query, trace, client));
  }

  @Override
  public CompletionStage<Answer> resolve(Name name, int type) {
    return afterWarmUp(() -> resolver.resolve(name, type));
  }

  @Override
  public Optional<Answer> cached(Message query) {
    return resolver.cached(query);
  }

  @Override
  public void flush() {
    resolver.flush();
  }

  @Override
  public void flush(Name name) {
    resolver.flush(name);
  }

  @Override
  public CacheStats stats() {
    return resolver.stats();
  }

  @Override
  public CacheDump cacheEntries(Name name) {
    return resolver.cacheEntries(name);
  }

  @Override
  public CacheDump cacheEntries(int limit) {
    return resolver.cacheEntries(limit);
  }

  @Override
  public List<InfraEntry> infra() {
    return resolver.infra();
  }

  @Override
  public Resolver reconfigured(ResolverConfig next) {
    return new WarmingResolver(resolver.reconfigured(next), next, warmUp);
  }

  @Override
  public void close() {
    resolver.close();
  }
}
