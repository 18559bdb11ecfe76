package dev.namu.server.querylog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * One {@link QueryEvent} as one line of JSON. A name may hold any byte: it is written in master
 * file form as dig shows it ({@code \.} in a label, {@code \000} for a byte outside printable
 * ASCII, RFC 1035 5.1), and then as a JSON string, so a line is always one line of valid JSON.
 * Used by the log's one thread only (it reuses its buffer).
 */
final class QueryLogLine {
  /** RFC 3339 in UTC, always with milliseconds, so lines sort as text. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** The header flags of a reply, with their bit in header bytes 2 and 3 (RFC 1035 4.1.1, RFC 4035 3.2). */
  private static final String[] FLAG_NAMES = {"aa", "tc", "rd", "ra", "ad", "cd"};
  private static final int[] FLAG_BITS = {0x0400, 0x0200, 0x0100, 0x0080, 0x0020, 0x0010};

  private final JsonFactory json = JsonFactory.builder().enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private final StringWriter buffer = new StringWriter(256);

  /** The event as JSON, without the line's end; ASCII only, so its length is its size in bytes. */
  String format(QueryEvent e) {
    buffer.getBuffer().setLength(0);
    try (JsonGenerator g = json.createGenerator(buffer)) {
      g.writeStartObject();
      g.writeStringField("time", TIME.format(Instant.ofEpochMilli(e.epochMillis())));
      g.writeStringField("client", e.client().getAddress().getHostAddress());
      g.writeNumberField("port", e.client().getPort());
      g.writeStringField("transport", e.transport().name().toLowerCase(Locale.ROOT));
      g.writeStringField("opcode", Opcode.string(e.opcode()));
      if (e.qname() != null) {
        g.writeStringField("qname", name(e.qname()));
        g.writeStringField("qtype", Type.string(e.qtype()));
      }
      g.writeStringField("rcode", Rcode.string(e.rcode()));
      g.writeArrayFieldStart("flags");
      for (int i = 0; i < FLAG_BITS.length; i++) {
        if ((e.flags() & FLAG_BITS[i]) != 0) {
          g.writeString(FLAG_NAMES[i]);
        }
      }
      g.writeEndArray();
      g.writeStringField("source", e.source());
      g.writeNumberField("latencyUs", e.latencyMicros());
      g.writeNumberField("size", e.size());
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex); // a StringWriter does not fail
    }
    return buffer.toString();
  }

  /** The name in master file form; bytes that are no name (never from our replies) as hex. */
  private static String name(byte[] wire) {
    try {
      return new Name(wire).toString();
    } catch (IOException ex) {
      return "\\# " + java.util.HexFormat.of().formatHex(wire);
    }
  }
}
