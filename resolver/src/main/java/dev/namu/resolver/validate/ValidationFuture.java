package dev.namu.resolver.validate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A future whose dependent stages run on the validator's threads: dnsjava's validator continues
 * its work with {@code thenComposeAsync} and {@code handleAsync} without an executor, which runs
 * on the stage's default executor, the JDK's common pool unless the stage says otherwise (on
 * two cores that pool has one thread, shared with the rest of the process). Every stage made
 * from this one is of this class, so the whole chain stays on {@code executor}.
 */
final class ValidationFuture<T> extends CompletableFuture<T> {
  private final Executor executor;

  ValidationFuture(Executor executor) {
    this.executor = executor;
  }

  static <T> ValidationFuture<T> completed(T value, Executor executor) {
    ValidationFuture<T> f = new ValidationFuture<>(executor);
    f.complete(value);
    return f;
  }

  @Override
  public Executor defaultExecutor() {
    return executor;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new ValidationFuture<>(executor);
  }
}
