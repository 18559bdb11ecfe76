package dev.namu.server.querylog;

import dev.namu.resolver.UpstreamTrace;
import dev.namu.server.intake.Transport;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * One {@link QueryEvent} as one line of JSON. A name may hold any byte: it is written in master
 * file form as dig shows it ({@code \.} in a label, {@code \000} for a byte outside printable
 * ASCII, RFC 1035 5.1), and then as a JSON string, so a line is always one line of valid JSON.
 *
 * <p>The line is built by hand into one reused buffer: a JSON generator, a date formatter and a
 * parsed name per line cost the one writer thread more than the line itself, and on a busy server
 * that thread shares the cores with the event loops. Used by the log's one thread only.
 */
final class QueryLogLine {
  /** RFC 3339 in UTC up to the second; the milliseconds are appended, so lines sort as text. */
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.", Locale.ROOT);
  /** The most a name takes on the wire (RFC 1035 3.1); longer bytes are no name. */
  private static final int MAX_NAME = 255;

  /** The header flags of a reply, with their bit in header bytes 2 and 3 (RFC 1035 4.1.1, RFC 4035 3.2). */
  private static final String[] FLAG_NAMES = {"aa", "tc", "rd", "ra", "ad", "cd"};
  private static final int[] FLAG_BITS = {0x0400, 0x0200, 0x0100, 0x0080, 0x0020, 0x0010};

  private static final String[] TRANSPORTS = Arrays.stream(Transport.values())
      .map(t -> t.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

  private final StringBuilder line = new StringBuilder(256);
  /** The second last formatted, and its text: a busy log writes many lines in one second. */
  private long second = Long.MIN_VALUE;
  private String secondText = "";

  /** The event as JSON, without the line's end; ASCII only, so its length is its size in bytes. */
  String format(QueryEvent e) {
    StringBuilder b = line;
    b.setLength(0);
    b.append("{\"time\":\"");
    time(b, e.epochMillis());
    b.append("\",\"client\":");
    string(b, e.client().getAddress().getHostAddress());
    b.append(",\"port\":").append(e.client().getPort());
    b.append(",\"transport\":");
    string(b, TRANSPORTS[e.transport().ordinal()]);
    b.append(",\"opcode\":");
    string(b, Opcode.string(e.opcode()));
    if (e.qname() != null) {
      b.append(",\"qname\":\"");
      int start = b.length();
      name(b, e.qname());
      escapeFrom(b, start);
      b.append("\",\"qtype\":");
      string(b, Type.string(e.qtype()));
    }
    b.append(",\"rcode\":");
    string(b, Rcode.string(e.rcode()));
    b.append(",\"flags\":[");
    boolean first = true;
    for (int i = 0; i < FLAG_BITS.length; i++) {
      if ((e.flags() & FLAG_BITS[i]) != 0) {
        b.append(first ? "\"" : ",\"").append(FLAG_NAMES[i]).append('"');
        first = false;
      }
    }
    b.append("],\"source\":");
    string(b, e.source());
    b.append(",\"latencyUs\":").append(e.latencyMicros());
    b.append(",\"size\":").append(e.size());
    if (e.upstream() != null && (e.upstream().total() > 0 || e.upstream().shared())) {
      upstream(b, e.upstream()); // an answer from the cache sent nothing: no field
    }
    b.append('}');
    return b.toString();
  }

  /**
   * The upstream queries of a resolved reply, the first {@link UpstreamTrace#MAX_LISTED} of them;
   * {@code upstreamQueries} counts them all. A reply to a question that joined another's
   * resolution in flight lists that resolution's queries with {@code "upstreamShared":true}: they
   * were sent once, for both, so a sum over lines skips the shared ones.
   */
  private static void upstream(StringBuilder b, UpstreamTrace trace) {
    java.util.List<UpstreamTrace.Exchange> sent = trace.exchanges();
    b.append(",\"upstreamQueries\":").append(trace.total());
    if (trace.shared()) {
      b.append(",\"upstreamShared\":true");
    }
    b.append(",\"upstream\":[");
    for (int i = 0; i < sent.size(); i++) {
      UpstreamTrace.Exchange x = sent.get(i);
      b.append(i == 0 ? "{\"server\":" : ",{\"server\":");
      string(b, x.server().getAddress().getHostAddress());
      b.append(",\"port\":").append(x.server().getPort());
      b.append(",\"zone\":");
      string(b, x.zone().toString());
      b.append(",\"qname\":");
      string(b, x.qname().toString());
      b.append(",\"qtype\":");
      string(b, Type.string(x.qtype()));
      if (x.forwarded()) {
        b.append(",\"forwarded\":true");
      }
      b.append(",\"rttMs\":").append(x.rttMillis());
      if (x.rcode() >= 0) {
        b.append(",\"rcode\":");
        string(b, Rcode.string(x.rcode()));
      } else {
        b.append(",\"failure\":");
        string(b, x.failure());
      }
      b.append('}');
    }
    b.append(']');
  }

  private void time(StringBuilder b, long epochMillis) {
    long s = Math.floorDiv(epochMillis, 1000);
    if (s != second) {
      secondText = SECOND.format(LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC));
      second = s;
    }
    int ms = (int) Math.floorMod(epochMillis, 1000);
    b.append(secondText).append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10))
        .append((char) ('0' + ms % 10)).append('Z');
  }

  /** Appends text as a JSON string. */
  private static void string(StringBuilder b, String text) {
    b.append('"');
    int start = b.length();
    b.append(text);
    escapeFrom(b, start);
    b.append('"');
  }

  /**
   * Escapes for JSON the characters from {@code start} on, in place (RFC 8259 7): {@code "} and
   * {@code \}, and anything outside printable ASCII as {@code \}{@code uXXXX}, so the line stays
   * one line of ASCII whatever a field holds.
   */
  private static void escapeFrom(StringBuilder b, int start) {
    for (int i = start; i < b.length(); i++) {
      char c = b.charAt(i);
      if (c == '"' || c == '\\') {
        b.insert(i++, '\\');
      } else if (c < 0x20 || c >= 0x7f) {
        b.replace(i, i + 1, String.format(Locale.ROOT, "\\u%04x", (int) c));
        i += 5;
      }
    }
  }

  /**
   * Appends the wire name in master file form as dig and dnsjava show it (RFC 1035 5.1): a byte
   * outside printable ASCII as {@code \DDD}, a dot or a character special to master files with a
   * backslash. Bytes that are no name (never from our replies) as RFC 3597 hex.
   */
  static void name(StringBuilder b, byte[] wire) {
    if (!isName(wire)) {
      b.append("\\# ").append(HexFormat.of().formatHex(wire));
      return;
    }
    if (wire.length == 1) {
      b.append('.');
      return;
    }
    int at = 0;
    while (wire[at] != 0) {
      int end = at + 1 + wire[at];
      for (int i = at + 1; i < end; i++) {
        int c = wire[i] & 0xFF;
        if (c <= 0x20 || c >= 0x7f) {
          b.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10))
              .append((char) ('0' + c % 10));
        } else {
          if (c == '"' || c == '(' || c == ')' || c == '.' || c == ';' || c == '\\' || c == '@'
              || c == '$') {
            b.append('\\');
          }
          b.append((char) c);
        }
      }
      b.append('.');
      at = end;
    }
  }

  /** Labels of at most 63 bytes ending in the root, within 255 bytes, and nothing after. */
  private static boolean isName(byte[] wire) {
    if (wire.length < 1 || wire.length > MAX_NAME) {
      return false;
    }
    int at = 0;
    while (at < wire.length) {
      int len = wire[at] & 0xFF;
      if (len == 0) {
        return at == wire.length - 1;
      }
      if (len > 63) {
        return false;
      }
      at += len + 1;
    }
    return false;
  }
}
