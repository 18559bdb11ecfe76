package dev.namu.server.pipeline;

/**
 * Where the time to answer a decoded query is told: from the packet's decoding to its reply
 * written, for the zones' general path ({@link ReplyCounters.Source#ZONE}) and the resolver's
 * answers ({@link ReplyCounters.Source#RESOLVER}). The prepared and kept copies are not timed: a
 * copy costs about what two clock reads cost, so timing it would slow the path it measures.
 */
@FunctionalInterface
public interface AnswerTimes {
  /** Times told to no one. */
  AnswerTimes NONE = (source, nanos) -> {};

  /** Called on an event loop or a resolver thread: must not block. */
  void record(ReplyCounters.Source source, long nanos);
}
