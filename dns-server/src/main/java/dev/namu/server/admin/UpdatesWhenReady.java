package dev.namu.server.admin;

import dev.namu.server.intake.Request;
import dev.namu.server.pipeline.UpdateHandler;
import dev.namu.server.update.RequestSignature;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * RFC 2136 UPDATE before and after the zone store is open. namud answers queries before its store
 * is open; an UPDATE that comes then cannot be applied (edits are written to the store first), so
 * it gets SERVFAIL, the rcode RFC 2136 2.2 gives for a server that cannot process the request now,
 * and the client may retry; so does a signed query, as the TSIG keys are in the store too. Once the store is open, UPDATE goes to {@link AdminServices}.
 */
public final class UpdatesWhenReady implements UpdateHandler {
  private volatile UpdateHandler ready;

  /** From now on, UPDATE goes to {@code handler}. */
  public void ready(UpdateHandler handler) {
    this.ready = handler;
  }

  @Override
  public CompletionStage<Integer> update(Request request) {
    UpdateHandler handler = ready;
    if (handler != null) {
      return handler.update(request);
    }
    return CompletableFuture.completedFuture(Rcode.SERVFAIL);
  }

  @Override
  public RequestSignature signature(Message query, byte[] packet) {
    UpdateHandler handler = ready;
    return handler == null ? RequestSignature.UNVERIFIABLE : handler.signature(query, packet);
  }
}
