package dev.namu.server.pipeline;

import dev.namu.server.intake.Request;

/**
 * Answers RFC 1996 NOTIFY messages (a primary saying a zone changed). It must not block: the
 * check of the zone it starts runs elsewhere.
 */
@FunctionalInterface
public interface NotifyHandler {
  /** The reply to a NOTIFY whose TSIG verdict ({@link Request#signature}) is not a refusal. */
  Outcome notify(Request request);
}
