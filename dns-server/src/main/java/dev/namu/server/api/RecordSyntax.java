package dev.namu.server.api;

import java.io.IOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TTL;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * Names, types, TTLs and RDATA as people type them. A record name is read against its zone the way
 * DNS web APIs read it: {@code @} is the apex, a trailing dot or the zone's own name at the end makes
 * it absolute, anything else is relative to the zone.
 */
final class RecordSyntax {

  /** Longest character-string, in bytes (RFC 1035 3.3). */
  private static final int MAX_STRING = 255;

  /**
   * A label of a zone or key name: letters, digits and hyphens, not at either end (RFC 1123 2.1), and
   * underscores, which service names use as labels of their own ({@code _msdcs}, RFC 8552).
   */
  private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

  private RecordSyntax() {}

  /** A zone named in a request, to look up: any name a zone file may have given a served zone. */
  static Name zone(String text) {
    return name(text, "zone name");
  }

  /** Any absolute domain name, the root included ({@code what} names it in the error). */
  static Name name(String text, String what) {
    String t = toAscii(required(text, what), what);
    try {
      return Name.fromString(t.endsWith(".") ? t : t + ".");
    } catch (TextParseException e) {
      throw ApiException.badRequest("bad " + what + " '" + text + "': " + e.getMessage());
    }
  }

  /**
   * The name of a zone to store: host-style labels, and at least two of them unless {@code allowTld}.
   * The root is never stored: a stored root would answer every name in the world itself (NXDOMAIN
   * for all it does not hold) instead of resolving it; a private root belongs in a zone file.
   */
  static Name newZone(String text, boolean allowTld) {
    Name name = hostName(text, "zone name");
    if (name.equals(Name.root)) {
      throw ApiException.badRequest("the root zone '.' cannot be created in the store: namud would answer every"
          + " name itself instead of resolving it; serve a private root from a zone file (--zones) instead");
    }
    if (name.labels() < 3 && !allowTld) {
      throw ApiException.badRequest("zone name '" + text + "' is a top-level domain (one label): a LAN zone needs"
          + " two labels or more (home.lan); to serve a whole TLD, create it with --allow-tld (API: \"allowTld\": true)");
    }
    return name;
  }

  /** A TSIG key name (RFC 8945 4.2): a domain name of host-style labels, not the root. */
  static Name keyName(String text) {
    Name name = hostName(text, "key name");
    if (name.equals(Name.root)) {
      throw ApiException.badRequest("key name '.' is the root: a TSIG key needs a name such as acme or acme.home.lan");
    }
    return name;
  }

  /** "@" is the apex, "name." is absolute, a name ending in the zone's name is absolute, else relative. */
  static Name owner(String text, Name origin) {
    String t = ascii(required(text, "record name (use @ for the zone apex)"), "record name");
    try {
      Name name;
      if (t.equals("@")) {
        name = origin;
      } else if (t.endsWith(".")) {
        name = Name.fromString(t);
      } else {
        // "nas.lab.lan" in zone lab.lan means nas.lab.lan., not nas.lab.lan.lab.lan.
        Name absolute = Name.fromString(t, Name.root);
        name = absolute.subdomain(origin) ? absolute : Name.fromString(t, origin);
      }
      if (!name.subdomain(origin)) {
        throw new ApiException(422, "outside_zone", name + " is not inside the zone " + origin);
      }
      return name.equals(origin) ? origin : name;
    } catch (TextParseException e) {
      throw ApiException.badRequest("bad record name '" + text + "': " + e.getMessage());
    }
  }

  static int type(String text) {
    if (text == null || text.isBlank()) {
      throw ApiException.badRequest("record type is missing");
    }
    int type = Type.value(text.toUpperCase(Locale.ROOT));
    if (type < 0 || !Type.isRR(type)) {
      throw ApiException.badRequest("unknown or meta record type '" + text + "'");
    }
    return type;
  }

  static long ttl(long ttl) {
    if (ttl < 0 || ttl > TTL.MAX_VALUE) {
      throw ApiException.badRequest("TTL " + ttl + " is out of range 0.." + TTL.MAX_VALUE);
    }
    return ttl;
  }

  static Record record(Name owner, int type, long ttl, String data, Name origin) {
    if (data == null || data.isBlank()) {
      throw ApiException.badRequest("record data is missing for " + owner + " " + Type.string(type));
    }
    long checkedTtl = ttl(ttl);
    Record record;
    boolean oneRecord;
    try {
      Tokenizer text = new Tokenizer(presentation(type, data));
      record = Record.fromString(owner, type, DClass.IN, checkedTtl, text, origin);
      oneRecord = restIsBlank(text);
    } catch (IOException | RuntimeException e) {
      // dnsjava places the problem in a file ("<none>:1: "): the request's data has no file
      String why = String.valueOf(e.getMessage()).replaceFirst("^<none>:\\d+: ", "");
      throw ApiException.badRequest("bad " + Type.string(type) + " data '" + data + "': " + why);
    }
    if (!oneRecord) {
      // the parser stops at the end of the record's line; data on a line after it would be
      // dropped without a word ("192.0.2.1\n192.0.2.2" stored as one address)
      throw ApiException.badRequest("bad " + Type.string(type) + " data '" + printable(data)
          + "': a line break ends a record's data, and more follows it; give one record's data per record");
    }
    return record;
  }

  /** True when nothing but line ends and comments follows what the tokenizer has read. */
  private static boolean restIsBlank(Tokenizer text) throws IOException {
    Tokenizer.Token t = text.get();
    while (t.type == Tokenizer.EOL) {
      t = text.get();
    }
    return t.type == Tokenizer.EOF;
  }

  /**
   * TXT (and SPF) data as a person types it is one string ({@code v=spf1 -all}, not the two strings a
   * zone file would read), in pieces of 255 bytes, the most one string holds (RFC 1035 3.3.14; RFC 7208
   * 3.3 joins them back). Data that starts with a quote (or is RFC 3597 {@code \#}
   * data) is already in zone-file form and kept as written.
   */
  private static String presentation(int type, String data) {
    String text = data.strip();
    if ((type != Type.TXT && type != Type.SPF) || text.startsWith("\"") || text.startsWith("\\#")) {
      return data;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < bytes.length; i++) {
      if (i % MAX_STRING == 0) {
        b.append(i == 0 ? "\"" : "\" \"");
      }
      int c = bytes[i] & 0xff;
      if (c == '"' || c == '\\') {
        b.append('\\').append((char) c);
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format("\\%03d", c));
      } else {
        b.append((char) c);
      }
    }
    return b.append('"').toString();
  }

  private static String required(String text, String what) {
    if (text == null || text.isBlank()) {
      throw ApiException.badRequest(what + " is missing");
    }
    return text;
  }

  /**
   * The name in ASCII: whitespace and control characters are refused (a name typed with a space is a
   * mistake, and a newline would split the zone list file), other non-ASCII text is an IDN label and
   * becomes its punycode A-label (RFC 5890, through {@link IDN}), as browsers and registrars write it.
   */
  private static String ascii(String text, String what) {
    refuseSpaces(text, what);
    return toAscii(text, what);
  }

  private static void refuseSpaces(String text, String what) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
        throw ApiException.badRequest(what + " '" + printable(text) + "' has a space or control character;"
            + " DNS names are labels of letters, digits and hyphens separated by dots");
      }
    }
  }

  /** ß, final sigma, zero-width joiner and non-joiner: the IDNA2003/2008 deviation characters. */
  private static final String IDNA2003_DEVIATIONS = "\u00DF\u03C2\u200D\u200C";

  private static String toAscii(String text, String what) {
    if (text.chars().allMatch(c -> c < 0x80)) {
      return text;
    }
    // java.net.IDN is IDNA2003, which maps these four to other letters (ß to ss) or drops them;
    // IDNA2008 (RFC 5892) keeps them, so browsers and registrars write another A-label. Refused
    // rather than stored under a name the user's other tools would not look up (UTS 46 section 2.2).
    for (char deviation : IDNA2003_DEVIATIONS.toCharArray()) {
      if (text.indexOf(deviation) >= 0) {
        throw ApiException.badRequest("bad " + what + " '" + text + "': U+" + String.format("%04X", (int) deviation)
            + " is read differently by IDNA2003 and IDNA2008; give the name as its xn-- A-label");
      }
    }
    try {
      // unassigned code points are refused: IDNA2008 does not allow them (RFC 5892 5.3)
      return IDN.toASCII(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad " + what + " '" + text + "': not a valid internationalized name ("
          + e.getMessage() + ")");
    }
  }

  private static Name hostName(String text, String what) {
    String t = ascii(required(text, what), what);
    if (t.equals(".")) {
      return Name.root;
    }
    String body = t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    for (String label : body.split("\\.", -1)) {
      if (!HOST_LABEL.matcher(label).matches()) {
        throw ApiException.badRequest(what + " '" + printable(text) + "' is not a host-style domain name: each label"
            + " is 1-63 letters, digits, hyphens (not first or last) or underscores, labels separated by dots"
            + (body.contains("/") ? " (for an RFC 2317 reverse zone write 0-25.2.0.192.in-addr.arpa, not 0/25)" : ""));
      }
    }
    try {
      return Name.fromString(body + ".");
    } catch (TextParseException e) {
      throw ApiException.badRequest("bad " + what + " '" + text + "': " + e.getMessage());
    }
  }

  /** The text with control characters shown as escapes, so an error message stays one line. */
  private static String printable(String text) {
    StringBuilder b = new StringBuilder();
    text.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }
}
