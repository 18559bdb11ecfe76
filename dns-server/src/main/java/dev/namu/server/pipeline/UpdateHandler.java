package dev.namu.server.pipeline;

import dev.namu.server.intake.Request;
import dev.namu.server.update.RequestSignature;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * Answers RFC 2136 UPDATE requests, and checks the TSIG of signed queries with the same keys. An
 * update must not block the event loop, so it completes later with the finished reply (null: send
 * nothing); TSIG (RFC 8945 4.3.3) signs the request's bytes as sent, which the request carries.
 */
public interface UpdateHandler {
  CompletionStage<byte[]> update(Request request);

  /**
   * The verdict on a signed query's TSIG (RFC 8945 5.2); {@code query} was parsed from {@code
   * packet}. Without keys to check it with yet, {@link RequestSignature#UNVERIFIABLE}.
   */
  default RequestSignature signature(Message query, byte[] packet) {
    return RequestSignature.UNVERIFIABLE;
  }
}
