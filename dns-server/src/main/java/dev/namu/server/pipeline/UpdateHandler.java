package dev.namu.server.pipeline;

import dev.namu.server.intake.Request;
import dev.namu.server.update.RequestSignature;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * Applies RFC 2136 UPDATE requests, and checks the TSIG of every signed request with the same keys
 * (RFC 8945 5.2, before anything else is done with it). An update must not block the event loop,
 * so it completes later, with the rcode of its reply; the reply writer writes and signs it.
 */
public interface UpdateHandler {
  /** The rcode for an UPDATE whose TSIG verdict ({@link Request#signature}) is not a refusal. */
  CompletionStage<Integer> update(Request request);

  /**
   * The verdict on a signed request's TSIG (RFC 8945 5.2); {@code query} was parsed from {@code
   * packet}. Without keys to check it with yet, {@link RequestSignature#UNVERIFIABLE}.
   */
  default RequestSignature signature(Message query, byte[] packet) {
    return RequestSignature.UNVERIFIABLE;
  }
}
