package dev.namu.server.querylog;

import dev.namu.resolver.UpstreamTrace;
import dev.namu.server.intake.Transport;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * One {@link QueryEvent} as one line of JSON, in ASCII bytes. A name may hold any byte: it is
 * written in master file form as dig shows it ({@code \.} in a label, {@code \000} for a byte
 * outside printable ASCII, RFC 1035 5.1), and then as a JSON string, so a line is always one line
 * of valid JSON.
 *
 * <p>The line is built byte by byte into one reused array, from words encoded once: a JSON
 * generator, a date formatter, strings per field and a charset encoder per line cost the one writer
 * thread more than the line itself, and on a busy server that thread shares the cores with the
 * event loops. Used by the log's one thread only.
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
  /** {@code ["aa","rd"]} for each set of the six flags, by the set's index (bit i: FLAG_BITS[i]). */
  private static final byte[][] FLAG_LISTS = flagLists();

  private static final byte[][] TRANSPORTS = Arrays.stream(Transport.values())
      .map(t -> quoted(t.name().toLowerCase(Locale.ROOT))).toArray(byte[][]::new);

  private static final byte[] TIME = ascii("{\"time\":\"");
  private static final byte[] CLIENT = ascii("Z\",\"client\":\"");
  private static final byte[] PORT = ascii("\",\"port\":");
  private static final byte[] TRANSPORT = ascii(",\"transport\":");
  private static final byte[] OPCODE = ascii(",\"opcode\":");
  private static final byte[] QNAME = ascii(",\"qname\":\"");
  private static final byte[] QTYPE = ascii("\",\"qtype\":");
  private static final byte[] RCODE = ascii(",\"rcode\":");
  private static final byte[] FLAGS = ascii(",\"flags\":");
  private static final byte[] SOURCE = ascii(",\"source\":");
  private static final byte[] LATENCY = ascii(",\"latencyUs\":");
  private static final byte[] SIZE = ascii(",\"size\":");
  private static final byte[] MESSAGES = ascii(",\"messages\":");

  /** Quoted mnemonics made as first met: a log sees few types, rcodes and sources. */
  private final byte[][] types = new byte[65_536][];
  private final byte[][] rcodes = new byte[4_096][];
  private final byte[][] opcodes = new byte[16][];
  private String lastSource = "";
  private byte[] lastSourceBytes = quoted("");

  private byte[] line = new byte[512];
  private int length;
  /** The second last formatted, and its text: a busy log writes many lines in one second. */
  private long second = Long.MIN_VALUE;
  private byte[] secondText = new byte[0];

  /**
   * Formats the event into this line's buffer, without the line's end: read it with
   * {@link #bytes()} and {@link #length()} until the next call.
   */
  void format(QueryEvent e) {
    length = 0;
    put(TIME);
    time(e.epochMillis());
    put(CLIENT);
    address(e.client().getAddress());
    put(PORT);
    number(e.client().getPort());
    put(TRANSPORT);
    put(TRANSPORTS[e.transport().ordinal()]);
    put(OPCODE);
    put(mnemonic(opcodes, e.opcode() & 0xF, Opcode::string));
    if (e.qname() != null) {
      put(QNAME);
      name(e.qname());
      put(QTYPE);
      put(mnemonic(types, e.qtype() & 0xFFFF, Type::string));
    }
    put(RCODE);
    put(mnemonic(rcodes, e.rcode() & 0xFFF, Rcode::string));
    put(FLAGS);
    put(FLAG_LISTS[flagSet(e.flags())]);
    put(SOURCE);
    if (!e.source().equals(lastSource)) { // a few constants: equals finds them the same object
      lastSource = e.source();
      lastSourceBytes = quoted(lastSource);
    }
    put(lastSourceBytes);
    put(LATENCY);
    number(e.latencyMicros());
    put(SIZE);
    number(e.size());
    if (e.messages() > 1) {
      put(MESSAGES);
      number(e.messages());
    }
    if (e.upstream() != null && (e.upstream().total() > 0 || e.upstream().shared())) {
      upstream(e.upstream()); // an answer from the cache sent nothing: no field
    }
    put((byte) '}');
  }

  /** The buffer holding the line last formatted (valid up to {@link #length()}). */
  byte[] bytes() {
    return line;
  }

  int length() {
    return length;
  }

  /** The line last formatted, as text (for tests). */
  @Override
  public String toString() {
    return new String(line, 0, length, StandardCharsets.US_ASCII);
  }

  /**
   * The upstream queries of a resolved reply, the first {@link UpstreamTrace#MAX_LISTED} of them;
   * {@code upstreamQueries} counts them all. A reply to a question that joined another's
   * resolution in flight lists that resolution's queries with {@code "upstreamShared":true}: they
   * were sent once, for both, so a sum over lines skips the shared ones. Rare beside the lines of
   * answers, so written with strings.
   */
  private void upstream(UpstreamTrace trace) {
    List<UpstreamTrace.Exchange> sent = trace.exchanges();
    putAscii(",\"upstreamQueries\":");
    number(trace.total());
    if (trace.shared()) {
      putAscii(",\"upstreamShared\":true");
    }
    putAscii(",\"upstream\":[");
    for (int i = 0; i < sent.size(); i++) {
      UpstreamTrace.Exchange x = sent.get(i);
      putAscii(i == 0 ? "{\"server\":\"" : ",{\"server\":\"");
      address(x.server().getAddress());
      putAscii("\",\"port\":");
      number(x.server().getPort());
      putAscii(",\"zone\":");
      put(quoted(x.zone().toString()));
      putAscii(",\"qname\":");
      put(quoted(x.qname().toString()));
      putAscii(",\"qtype\":");
      put(mnemonic(types, x.qtype() & 0xFFFF, Type::string));
      if (x.forwarded()) {
        putAscii(",\"forwarded\":true");
      }
      putAscii(",\"rttMs\":");
      number(x.rttMillis());
      if (x.rcode() >= 0) {
        putAscii(",\"rcode\":");
        put(mnemonic(rcodes, x.rcode() & 0xFFF, Rcode::string));
      } else {
        putAscii(",\"failure\":");
        put(quoted(String.valueOf(x.failure())));
      }
      put((byte) '}');
    }
    put((byte) ']');
  }

  private void time(long epochMillis) {
    long s = Math.floorDiv(epochMillis, 1000);
    if (s != second) {
      secondText = ascii(SECOND.format(LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC)));
      second = s;
    }
    put(secondText);
    int ms = (int) Math.floorMod(epochMillis, 1000);
    ensure(3);
    line[length++] = (byte) ('0' + ms / 100);
    line[length++] = (byte) ('0' + ms / 10 % 10);
    line[length++] = (byte) ('0' + ms % 10);
  }

  /** An IPv4 address in dotted quads, an IPv6 one in RFC 5952 form (2001:db8::1) as dig writes it. */
  private void address(InetAddress address) {
    if (address instanceof Inet4Address) {
      int a = address.hashCode(); // Inet4Address's hash is its 32-bit address, with no copy made
      for (int shift = 24; shift >= 0; shift -= 8) {
        number((a >>> shift) & 0xFF);
        if (shift > 0) {
          put((byte) '.');
        }
      }
    } else {
      putAscii(NetUtil.toAddressString(address));
    }
  }

  private void number(long n) {
    if (n < 0) {
      put((byte) '-');
      n = -n;
    }
    ensure(20);
    int start = length;
    do {
      line[length++] = (byte) ('0' + n % 10);
      n /= 10;
    } while (n > 0);
    for (int i = start, j = length - 1; i < j; i++, j--) {
      byte t = line[i];
      line[i] = line[j];
      line[j] = t;
    }
  }

  /**
   * Writes the wire name in master file form as dig and dnsjava show it (RFC 1035 5.1), inside a
   * JSON string: a byte outside printable ASCII as {@code \DDD}, a dot or a character special to
   * master files with a backslash; then each backslash and quote escaped for JSON (RFC 8259 7).
   * Bytes that are no name (never from our replies) as RFC 3597 hex.
   */
  private void name(byte[] wire) {
    if (!isName(wire)) {
      putAscii("\\\\# " + HexFormat.of().formatHex(wire));
      return;
    }
    if (wire.length == 1) {
      put((byte) '.');
      return;
    }
    int at = 0;
    while (wire[at] != 0) {
      int end = at + 1 + wire[at];
      ensure(6 * wire[at] + 1);
      for (int i = at + 1; i < end; i++) {
        int c = wire[i] & 0xFF;
        if (c <= 0x20 || c >= 0x7f) {
          line[length++] = '\\'; // the master file's backslash, escaped for JSON
          line[length++] = '\\';
          line[length++] = (byte) ('0' + c / 100);
          line[length++] = (byte) ('0' + c / 10 % 10);
          line[length++] = (byte) ('0' + c % 10);
        } else if (c == '"' || c == '\\') {
          line[length++] = '\\';
          line[length++] = '\\';
          line[length++] = '\\';
          line[length++] = (byte) c;
        } else {
          if (c == '(' || c == ')' || c == '.' || c == ';' || c == '@' || c == '$') {
            line[length++] = '\\';
            line[length++] = '\\';
          }
          line[length++] = (byte) c;
        }
      }
      line[length++] = '.';
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

  private static byte[] mnemonic(byte[][] cache, int value, java.util.function.IntFunction<String> text) {
    byte[] b = cache[value];
    if (b == null) {
      b = quoted(text.apply(value));
      cache[value] = b;
    }
    return b;
  }

  private static int flagSet(int flags) {
    int set = 0;
    for (int i = 0; i < FLAG_BITS.length; i++) {
      if ((flags & FLAG_BITS[i]) != 0) {
        set |= 1 << i;
      }
    }
    return set;
  }

  private static byte[][] flagLists() {
    byte[][] lists = new byte[1 << FLAG_BITS.length][];
    for (int set = 0; set < lists.length; set++) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < FLAG_BITS.length; i++) {
        if ((set & (1 << i)) != 0) {
          b.append(b.length() == 1 ? "\"" : ",\"").append(FLAG_NAMES[i]).append('"');
        }
      }
      lists[set] = ascii(b.append(']').toString());
    }
    return lists;
  }

  /**
   * Text as a JSON string (RFC 8259 7): {@code "} and {@code \} escaped, and anything outside
   * printable ASCII as {@code \}{@code uXXXX}, so the line stays one line of ASCII.
   */
  private static byte[] quoted(String text) {
    StringBuilder b = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7f) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return ascii(b.append('"').toString());
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Text known to be printable ASCII with nothing to escape (an address, hex digits). */
  private void putAscii(String text) {
    ensure(text.length());
    for (int i = 0; i < text.length(); i++) {
      line[length++] = (byte) text.charAt(i);
    }
  }

  private void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, line, length, bytes.length);
    length += bytes.length;
  }

  private void put(byte b) {
    ensure(1);
    line[length++] = b;
  }

  private void ensure(int more) {
    if (length + more > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, length + more));
    }
  }
}
