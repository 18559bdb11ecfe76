package dev.namu.server.pipeline;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/** What the pipeline gives the transport for one packet. */
public sealed interface Reply permits Reply.None, Reply.Now, Reply.Later {

  /** Send nothing. */
  record None() implements Reply {}

  /** Send these bytes (the transport owns and releases the buffer). */
  record Now(ByteBuf wire) implements Reply {}

  /** Send the bytes when they are ready; completes with null when nothing is to be sent. */
  record Later(CompletionStage<ByteBuf> wire) implements Reply {}

  None NONE = new None();
}
