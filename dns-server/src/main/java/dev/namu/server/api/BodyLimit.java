package dev.namu.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * Gathers a request and its body (chunked or not) into one message, refusing a body over the limit
 * with 413 as soon as it is known to be too big: from its Content-Length before any of it is read,
 * else when the chunks pass the limit. What was gathered is dropped and the rest is not buffered.
 * Netty's own refusal has no body; this one has the API's JSON error.
 */
final class BodyLimit extends HttpObjectAggregator {

  private final ObjectMapper json;

  BodyLimit(int maxBodyBytes, ObjectMapper json) {
    super(maxBodyBytes);
    this.json = json;
  }

  private ApiException tooLarge() {
    return new ApiException(413, "too_large", "request body larger than the limit of "
        + ApiLimits.sizeText(maxContentLength()) + " (namud --api-max-body)");
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    // Answered in turn, like any request; the aggregator drops the rest of this body.
    ctx.fireChannelRead(new Rejection(tooLarge()));
  }

  /**
   * A client that asks before sending ({@code Expect: 100-continue}) hears 413 at once and sends no
   * body, so the connection can stay open: only the body of Netty's answer changes.
   */
  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
    if (answer instanceof HttpResponse r && r.status().code() == 413) {
      ReferenceCountUtil.release(answer);
      return HttpReply.of(ApiResponse.error(json, tooLarge()), true);
    }
    return answer;
  }
}
