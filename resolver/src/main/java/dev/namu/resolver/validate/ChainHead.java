package dev.namu.resolver.validate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/**
 * What dnsjava's validator asks its questions through (the DS and DNSKEY sets along the chain,
 * and the answer being judged): the resolver's own iteration, without validation, answering
 * from its cache where it can. The executor the validator passes along is the {@link Judgment}
 * the question is asked for. The transport settings of dnsjava's interface mean nothing here.
 */
final class ChainHead implements Resolver {
  private final BiFunction<Message, Executor, CompletionStage<Message>> resolve;

  ChainHead(BiFunction<Message, Executor, CompletionStage<Message>> resolve) {
    this.resolve = resolve;
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return resolve.apply(query, null);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    return resolve.apply(query, executor);
  }

  @Override public void setPort(int port) {}
  @Override public void setTCP(boolean flag) {}
  @Override public void setIgnoreTruncation(boolean flag) {}
  @Override public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {}
  @Override public void setTSIGKey(TSIG key) {}
  @Override public void setTimeout(Duration timeout) {}
  @Override public Duration getTimeout() { return Duration.ofSeconds(10); }
}
