package dev.namu.resolver.iterate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** How the iteration's asynchronous steps fail: synchronous throws as failed futures, causes unwrapped. */
final class Futures {

  private Futures() {}

  /** Runs {@code body}, turning a synchronous throw into a failed future. */
  static <T> CompletableFuture<T> guard(Supplier<CompletableFuture<T>> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The exhausted budget behind {@code err}, or null: such a failure ends the whole question. */
  static ResolutionFailure limitOf(Throwable err) {
    Throwable c = rootCause(err);
    return c instanceof ResolutionFailure f && f.isLimit() ? f : null;
  }

  static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) c = c.getCause();
    return c;
  }
}
