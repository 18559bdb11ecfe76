package dev.namu.server.api;

import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, except that a head with both Transfer-Encoding: chunked and
 * Content-Length keeps both: Netty drops the Content-Length and reads on, which hides the ambiguity
 * from {@link TokenCheck}, which refuses such a request and ends the connection (RFC 9112 6.1).
 */
final class FramingKeptDecoder extends HttpRequestDecoder {

  FramingKeptDecoder(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize) {
    super(maxInitialLineLength, maxHeaderSize, maxChunkSize);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    // both headers stay; the body is read as chunks (and dropped after the refusal)
  }
}
