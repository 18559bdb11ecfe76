package dev.namu.server.recursion;

import dev.namu.resolver.Answer;
import dev.namu.resolver.ResolverConfig;
import dev.namu.resolver.UpstreamTrace;
import dev.namu.server.api.CacheControl;
import dev.namu.server.intake.Request;
import dev.namu.server.pipeline.RecursionHandler;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.xbill.DNS.Name;

/**
 * The recursion the pipeline uses now: a reload publishes another (a new ACL, new forwarders) by
 * one swap, over the same cache and the same kept replies. A request reads it once per decision;
 * one that read the old ACL just before a swap is answered as the old configuration said.
 */
public final class CurrentRecursion implements RecursionHandler, CacheControl {
  private final AtomicReference<ResolverRecursion> current;
  private final Function<RecursionConfig, ResolverConfig> settings;

  /**
   * @param settings the resolver's configuration for namud's recursion settings (throws
   *     IllegalArgumentException with a one-line reason, say for root hints it cannot read)
   */
  public CurrentRecursion(ResolverRecursion first, Function<RecursionConfig, ResolverConfig> settings) {
    this.current = new AtomicReference<>(first);
    this.settings = settings;
  }

  public ResolverRecursion current() {
    return current.get();
  }

  /**
   * The recursion of {@code next}, not yet in use: the resolver reconfigured over this one's cache,
   * the ACL of {@code next}, the same kept replies.
   *
   * @throws IllegalArgumentException with a one-line reason when {@code next} cannot be used
   */
  public ResolverRecursion prepare(RecursionConfig next) {
    ResolverConfig config = settings.apply(next);
    ResolverRecursion now = current.get();
    return new ResolverRecursion(now.resolver().reconfigured(config), next.acl(), now.copies(), next.localZones());
  }

  /** Puts a {@link #prepare prepared} recursion in use. */
  public void publish(ResolverRecursion next) {
    current.set(next);
  }

  @Override
  public boolean accepts(Request request) {
    return current.get().accepts(request);
  }

  @Override
  public boolean availableTo(InetSocketAddress client) {
    return current.get().availableTo(client);
  }

  @Override
  public dev.namu.zones.registry.ZoneSet locallyServed(Name qname) {
    return current.get().locallyServed(qname);
  }

  @Override
  public CompletionStage<Answer> resolve(Request request) {
    return current.get().resolve(request);
  }

  @Override
  public CompletionStage<Answer> resolve(Request request, Name name) {
    return current.get().resolve(request, name);
  }

  @Override
  public CompletionStage<Answer> resolve(Request request, UpstreamTrace trace) {
    return current.get().resolve(request, trace);
  }

  @Override
  public CompletionStage<Answer> resolve(Request request, Name name, UpstreamTrace trace) {
    return current.get().resolve(request, name, trace);
  }

  @Override
  public boolean continuesChains() {
    return true;
  }

  @Override
  public long flush(Optional<Name> name) {
    return current.get().flush(name);
  }

  @Override
  public Map<String, Object> dump(Optional<Name> name, int limit) {
    return current.get().dump(name, limit);
  }

  @Override
  public Map<String, Object> infra() {
    return current.get().infra();
  }

  @Override
  public Map<String, Object> stats() {
    return current.get().stats();
  }
}
