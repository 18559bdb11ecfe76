package dev.namu.server.pipeline;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * Answers RFC 2136 UPDATE packets. It gets the raw packet because TSIG (RFC 8945 4.3.3) signs the
 * bytes as sent; it must not block the event loop, so it completes later (null: send nothing).
 */
@FunctionalInterface
public interface UpdateHandler {
  CompletionStage<byte[]> update(byte[] packet, InetSocketAddress peer);
}
