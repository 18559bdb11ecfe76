package dev.namu.server.pipeline;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/** What the pipeline gives the transport for one packet. */
public sealed interface Reply permits Reply.None, Reply.Now, Reply.Later, Reply.Stream {

  /** Send nothing. */
  record None() implements Reply {}

  /** Send these bytes (the transport owns and releases the buffer). */
  record Now(ByteBuf wire) implements Reply {}

  /** Send the bytes when they are ready; completes with null when nothing is to be sent. */
  record Later(CompletionStage<ByteBuf> wire) implements Reply {}

  /**
   * Send these messages in order, each as it is taken (a zone transfer over TCP), once the sequence
   * is ready; over UDP only the first, as one request gets one datagram. A message is made when
   * taken: take the next when the previous is written, so a slow reader holds back the making.
   */
  record Stream(CompletionStage<java.util.Iterator<ByteBuf>> messages) implements Reply {}

  None NONE = new None();
}
