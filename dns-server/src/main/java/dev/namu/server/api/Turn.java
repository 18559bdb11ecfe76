package dev.namu.server.api;

import io.netty.handler.codec.http.FullHttpRequest;

/** What waits for its turn on a connection: a request to answer, or a refusal to send in its place. */
sealed interface Turn permits Turn.Request, Rejection {

  /** A whole request, body included; released once read. */
  record Request(FullHttpRequest http) implements Turn {}
}
