package dev.namu.server.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * What one DNS over HTTPS request asks (RFC 8484 4.1): the DNS query of a GET's {@code dns}
 * parameter or of a POST's body, or the HTTP status that refuses the request.
 */
sealed interface DohRequest {
  /** The path DoH clients use (RFC 8484 uses it in its examples; curl, Firefox and kdig default to it). */
  String PATH = "/dns-query";

  /** RFC 8484 6: the media type of a DNS message. */
  String MEDIA_TYPE = "application/dns-message";

  /** A DNS query to answer. */
  record Query(byte[] wire) implements DohRequest {}

  /** No query: answered with this status and a one-line reason. */
  record Refused(HttpResponseStatus status, String reason) implements DohRequest {}

  static DohRequest of(FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      if (cause instanceof TooLongHttpLineException) {
        return new Refused(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
      }
      if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
        return new Refused(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers too large");
      }
      return new Refused(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    if (!uri.path().equals(PATH)) {
      return new Refused(HttpResponseStatus.NOT_FOUND, "DNS queries go to " + PATH);
    }
    if (request.method().equals(HttpMethod.GET)) {
      return get(uri);
    }
    if (request.method().equals(HttpMethod.POST)) {
      return post(request);
    }
    return new Refused(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET or POST");
  }

  /** RFC 8484 4.1: GET carries the query in {@code dns}, base64url with its padding left out. */
  private static DohRequest get(QueryStringDecoder uri) {
    List<String> values = uri.parameters().get("dns");
    if (values == null || values.size() != 1 || values.get(0).isEmpty()) {
      return new Refused(HttpResponseStatus.BAD_REQUEST, "GET needs one dns parameter");
    }
    String value = values.get(0);
    // base64url has no '+' or '/'; the URL decoder would also take '=' padding, RFC 8484 omits it
    // but a client that leaves it in means the same bytes
    try {
      return new Query(Base64.getUrlDecoder().decode(value));
    } catch (IllegalArgumentException e) {
      return new Refused(HttpResponseStatus.BAD_REQUEST, "dns parameter is not base64url");
    }
  }

  /** RFC 8484 4.1: POST carries the query as its body, of type application/dns-message. */
  private static DohRequest post(FullHttpRequest request) {
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    // the type without parameters, in any case (RFC 9110 8.3.1)
    String bare = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!bare.equals(MEDIA_TYPE)) {
      return new Refused(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "POST a body of type " + MEDIA_TYPE);
    }
    return new Query(ByteBufUtil.getBytes(request.content()));
  }
}
