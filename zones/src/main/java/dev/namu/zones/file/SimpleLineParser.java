package dev.namu.zones.file;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The fast path of the master-file parser: one record on one line in the plain form almost every
 * large zone uses ({@code owner [ttl] [IN] type rdata}, types A, AAAA, NS, CNAME, PTR, MX, TXT),
 * read straight from the file's bytes without dnsjava's {@code Tokenizer}.
 *
 * <p>It accepts only lines whose meaning is beyond doubt: printable ASCII, no parentheses or
 * backslashes, names of letters, digits, {@code - _ *}, decimal TTLs below 10^9, class IN, and
 * RDATA in its plainest spelling. For anything else, including every line the general parser
 * would reject, it returns null and the caller hands the line to the general parser, so the
 * records and the problems of a file are the same whichever path read a line. Addresses and
 * text are made from wire-format RDATA (the address records' constructors, {@link
 * Record#newRecord} for text), which gives the same objects as their text form; a domain name in
 * RDATA is one shared Name object per spelling.
 */
final class SimpleLineParser {

  /** What a line may inherit from the lines before it (RFC 1035 5.1). */
  record State(Name origin, long defaultTtl, Name lastName, long lastTtl, int lastClass) {}

  /** Bounds the cache of domain names seen in RDATA (mail exchangers, name servers, targets). */
  private static final int MAX_CACHED_NAMES = 4096;

  private static final int MAX_TOKENS = 16;

  private final int[] starts = new int[MAX_TOKENS];
  private final int[] ends = new int[MAX_TOKENS];
  private final boolean[] quoted = new boolean[MAX_TOKENS];
  private final byte[] wire = new byte[512];
  private final Map<String, Name> rdataNames = new HashMap<>();
  private Name cacheOrigin;
  private Name wireOrigin;
  private byte[] originWire;
  private Name lastOwner;
  private Name lastOwnerOrigin;
  private byte[] lastOwnerText = new byte[0];

  /**
   * Parses {@code b[from, to)}, one line without its line end, or returns null when the line is
   * not in the simple form (the caller then uses the general parser).
   */
  Record parse(byte[] b, int from, int to, State s) {
    int n = tokenize(b, from, to);
    if (n <= 0) {
      return null;
    }
    int t = 0;
    Name owner;
    boolean blankOwner = b[from] == ' ' || b[from] == '\t';
    if (blankOwner) {
      owner = s.lastName();
      if (owner == null) {
        return null;
      }
    } else {
      if (quoted[0]) {
        return null;
      }
      owner = owner(b, starts[0], ends[0], s);
      if (owner == null) {
        return null;
      }
      t = 1;
    }
    // RFC 1035 5.1: [TTL] [class] type or [class] [TTL] type, as MasterFileParser reads them
    int dclass = -1;
    long ttl = -1;
    if (t < n && isIn(b, t)) {
      dclass = DClass.IN;
      t++;
    }
    if (t < n) {
      ttl = decimal(b, t, 9);
      if (ttl >= 0) {
        t++;
      }
    }
    if (dclass < 0) {
      if (t < n && isIn(b, t)) {
        dclass = DClass.IN;
        t++;
      } else {
        dclass = s.lastClass();
      }
    }
    if (ttl < 0) {
      ttl = s.defaultTtl() >= 0 ? s.defaultTtl() : s.lastTtl();
      if (ttl < 0) {
        return null;
      }
    }
    if (t >= n || quoted[t]) {
      return null;
    }
    int type = type(b, starts[t], ends[t]);
    if (type < 0) {
      return null;
    }
    t++;
    try {
      return record(owner, type, dclass, ttl, b, t, n, s.origin());
    } catch (RuntimeException e) {
      return null; // let the general parser say what is wrong
    }
  }

  private Record record(Name owner, int type, int dclass, long ttl, byte[] b, int t, int n,
      Name origin) {
    switch (type) {
      // Addresses through the records' own constructors: Record.newRecord would look the type up
      // in a map and read the bytes back through a DNSInput, for the same record.
      case Type.A: {
        byte[] address = n - t == 1 ? ipv4(b, t) : null;
        return address == null ? null : new ARecord(owner, dclass, ttl, address);
      }
      case Type.AAAA: {
        byte[] address = n - t == 1 ? ipv6(b, t) : null;
        return address == null ? null : new AAAARecord(owner, dclass, ttl, address);
      }
      case Type.TXT: {
        byte[] strings = txt(b, t, n);
        return strings == null ? null : Record.newRecord(owner, type, dclass, ttl, strings);
      }
      case Type.NS:
      case Type.CNAME:
      case Type.PTR: {
        Name target = n - t == 1 ? rdataName(b, t, origin) : null;
        if (target == null) {
          return null;
        }
        if (type == Type.NS) {
          return new NSRecord(owner, dclass, ttl, target);
        }
        return type == Type.CNAME
            ? new CNAMERecord(owner, dclass, ttl, target)
            : new PTRRecord(owner, dclass, ttl, target);
      }
      case Type.MX: {
        if (n - t != 2) {
          return null;
        }
        long preference = decimal(b, t, 5);
        Name target = preference >= 0 && preference <= 0xFFFF ? rdataName(b, t + 1, origin) : null;
        return target == null ? null : new MXRecord(owner, dclass, ttl, (int) preference, target);
      }
      default:
        return null;
    }
  }

  /**
   * Splits the line into tokens as dnsjava's Tokenizer would, or returns -1 for anything the
   * fast path leaves to it: a quote inside a token, a quoted string not followed by a space, an
   * unterminated quote, too many tokens.
   */
  private int tokenize(byte[] b, int from, int to) {
    int n = 0;
    int i = from;
    while (i < to) {
      byte c = b[i];
      if (c == ' ' || c == '\t') {
        i++;
        continue;
      }
      if (c == ';') {
        break;
      }
      if (n == MAX_TOKENS) {
        return -1;
      }
      if (c == '"') {
        int close = i + 1;
        while (close < to && b[close] != '"') {
          close++;
        }
        if (close >= to || (close + 1 < to && b[close + 1] != ' ' && b[close + 1] != '\t')) {
          return -1;
        }
        starts[n] = i + 1;
        ends[n] = close;
        quoted[n++] = true;
        i = close + 1;
        continue;
      }
      int start = i;
      while (i < to && b[i] != ' ' && b[i] != '\t' && b[i] != ';') {
        if (b[i] == '"') {
          return -1;
        }
        i++;
      }
      starts[n] = start;
      ends[n] = i;
      quoted[n++] = false;
    }
    return n;
  }

  private boolean isIn(byte[] b, int t) {
    return !quoted[t] && ends[t] - starts[t] == 2
        && (b[starts[t]] | 0x20) == 'i' && (b[starts[t] + 1] | 0x20) == 'n';
  }

  /** The token as a decimal number of at most {@code maxDigits} digits, or -1. */
  private long decimal(byte[] b, int t, int maxDigits) {
    if (quoted[t]) {
      return -1;
    }
    int len = ends[t] - starts[t];
    if (len == 0 || len > maxDigits) {
      return -1;
    }
    long v = 0;
    for (int i = starts[t]; i < ends[t]; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int type(byte[] b, int from, int to) {
    switch (to - from) {
      case 1:
        return (b[from] | 0x20) == 'a' ? Type.A : -1;
      case 2:
        if (is(b, from, "ns")) {
          return Type.NS;
        }
        return is(b, from, "mx") ? Type.MX : -1;
      case 3:
        if (is(b, from, "txt")) {
          return Type.TXT;
        }
        return is(b, from, "ptr") ? Type.PTR : -1;
      case 4:
        return is(b, from, "aaaa") ? Type.AAAA : -1;
      case 5:
        return is(b, from, "cname") ? Type.CNAME : -1;
      default:
        return -1;
    }
  }

  /** Case-insensitive match of ASCII letters against a lower-case word. */
  private static boolean is(byte[] b, int from, String lower) {
    for (int i = 0; i < lower.length(); i++) {
      if ((b[from + i] | 0x20) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Dotted-quad in its plain spelling only: four decimals 0-255, no leading zeros. */
  private byte[] ipv4(byte[] b, int t) {
    if (quoted[t]) {
      return null;
    }
    byte[] out = new byte[4];
    int i = starts[t];
    int end = ends[t];
    for (int part = 0; part < 4; part++) {
      int start = i;
      int v = 0;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        v = v * 10 + (b[i] - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && b[start] == '0')) {
        return null;
      }
      out[part] = (byte) v;
      if (part < 3) {
        if (i >= end || b[i] != '.') {
          return null;
        }
        i++;
      }
    }
    return i == end ? out : null;
  }

  private byte[] ipv6(byte[] b, int t) {
    return quoted[t] ? null : ipv6(b, starts[t], ends[t]);
  }

  /**
   * An IPv6 address of hex groups and at most one {@code ::} (RFC 4291 2.2 forms 1 and 2; the
   * form with an embedded IPv4 address is left to the general parser), or null.
   */
  static byte[] ipv6(byte[] b, int from, int to) {
    byte[] out = new byte[16];
    int gap = -1; // index in out where "::" stands
    int at = 0;
    int i = from;
    if (to - from >= 2 && b[i] == ':' && b[i + 1] == ':') {
      gap = 0;
      i += 2;
      if (i == to) {
        return out;
      }
    }
    while (true) {
      int start = i;
      int v = 0;
      while (i < to && i - start < 5) {
        int d = hex(b[i]);
        if (d < 0) {
          break;
        }
        v = (v << 4) | d;
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 4 || at == 16) {
        return null;
      }
      out[at++] = (byte) (v >>> 8);
      out[at++] = (byte) v;
      if (i == to) {
        break;
      }
      if (b[i] != ':') {
        return null;
      }
      i++;
      if (i < to && b[i] == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = at;
        i++;
        if (i == to) {
          break;
        }
      } else if (i == to) {
        return null; // a single trailing colon
      }
    }
    if (gap < 0) {
      return at == 16 ? out : null;
    }
    if (at > 14) {
      return null; // "::" must stand for at least one group
    }
    int tail = at - gap;
    System.arraycopy(out, gap, out, 16 - tail, tail);
    Arrays.fill(out, gap, 16 - tail, (byte) 0);
    return out;
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    int l = c | 0x20;
    return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
  }

  private byte[] txt(byte[] b, int t, int n) {
    if (t >= n) {
      return null;
    }
    int len = 0;
    for (int k = t; k < n; k++) {
      int l = ends[k] - starts[k];
      if (l > 255) {
        return null;
      }
      len += 1 + l;
    }
    byte[] out = new byte[len];
    int at = 0;
    for (int k = t; k < n; k++) {
      int l = ends[k] - starts[k];
      out[at++] = (byte) l;
      System.arraycopy(b, starts[k], out, at, l);
      at += l;
    }
    return out;
  }

  /**
   * The owner name of the line; the previous owner's Name when the text is the same (a big zone
   * has several records per name, and one Name object per owner saves memory).
   */
  private Name owner(byte[] b, int from, int to, State s) {
    int len = to - from;
    if (lastOwner != null && lastOwnerOrigin == s.origin() && len == lastOwnerText.length
        && Arrays.equals(b, from, to, lastOwnerText, 0, len)) {
      return s.lastName() != null && lastOwner.equals(s.lastName()) ? s.lastName() : lastOwner;
    }
    Name name = name(b, from, to, s.origin());
    if (name == null) {
      return null;
    }
    lastOwner = name; // spelled as this text, whatever the last owner's spelling
    lastOwnerOrigin = s.origin();
    lastOwnerText = Arrays.copyOfRange(b, from, to);
    if (s.lastName() != null && name.equals(s.lastName())) {
      return s.lastName(); // as MasterFileParser does: share one Name object per owner
    }
    return name;
  }

  /** A domain name in RDATA, one Name object per spelling (names such as MX targets repeat). */
  private Name rdataName(byte[] b, int t, Name origin) {
    if (quoted[t]) {
      return null;
    }
    if (cacheOrigin != origin) {
      rdataNames.clear();
      cacheOrigin = origin;
    }
    String key = new String(b, starts[t], ends[t] - starts[t], StandardCharsets.ISO_8859_1);
    Name cached = rdataNames.get(key);
    if (cached != null) {
      return cached;
    }
    Name name = name(b, starts[t], ends[t], origin);
    if (name != null) {
      if (rdataNames.size() >= MAX_CACHED_NAMES) {
        rdataNames.clear();
      }
      rdataNames.put(key, name);
    }
    return name;
  }

  /**
   * A name of plain labels (letters, digits, {@code - _ *}), relative to {@code origin} unless it
   * ends with a dot; {@code @} is the origin. Null for anything else, or when a label or the name
   * is too long (RFC 1035 2.3.4), which the general parser reports.
   */
  private Name name(byte[] b, int from, int to, Name origin) {
    int len = to - from;
    if (len == 1 && b[from] == '@') {
      return origin;
    }
    if (len == 0 || b[from] == '.') {
      return null;
    }
    boolean absolute = b[to - 1] == '.';
    int textEnd = absolute ? to - 1 : to;
    byte[] suffix = absolute ? null : originWire(origin);
    int w = 0;
    int labelStart = from;
    for (int i = from; i <= textEnd; i++) {
      if (i == textEnd || b[i] == '.') {
        int l = i - labelStart;
        if (l == 0 || l > 63 || w + 1 + l > 255) {
          return null;
        }
        wire[w++] = (byte) l;
        System.arraycopy(b, labelStart, wire, w, l);
        w += l;
        labelStart = i + 1;
        continue;
      }
      int c = b[i];
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '*';
      if (!ok) {
        return null;
      }
    }
    if (absolute) {
      wire[w++] = 0;
    } else {
      if (w + suffix.length > 255) {
        return null;
      }
      System.arraycopy(suffix, 0, wire, w, suffix.length);
      w += suffix.length;
    }
    try {
      return WireName.of(wire, w);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private byte[] originWire(Name origin) {
    if (origin != wireOrigin) {
      originWire = origin.toWire();
      wireOrigin = origin;
    }
    return originWire;
  }
}
