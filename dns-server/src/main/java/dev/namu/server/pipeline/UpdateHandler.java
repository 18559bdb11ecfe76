package dev.namu.server.pipeline;

import dev.namu.server.update.RequestSignature;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * Answers RFC 2136 UPDATE packets, and checks the TSIG of signed queries with the same keys. It
 * gets the raw packet because TSIG (RFC 8945 4.3.3) signs the bytes as sent; it must not block the
 * event loop, so it completes later (null: send nothing).
 */
@FunctionalInterface
public interface UpdateHandler {
  CompletionStage<byte[]> update(byte[] packet, InetSocketAddress peer);

  /**
   * The verdict on a signed query's TSIG (RFC 8945 5.2); {@code query} was parsed from {@code
   * packet}. Without keys to check it with yet, {@link RequestSignature#UNVERIFIABLE}.
   */
  default RequestSignature signature(Message query, byte[] packet) {
    return RequestSignature.UNVERIFIABLE;
  }
}
