package dev.namu.server.api;

import java.io.IOException;
import java.util.Locale;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Names, types, TTLs and RDATA as people type them, read relative to a zone like a zone file does. */
final class RecordSyntax {

  /** TTLs are 31-bit (RFC 2181 section 8). */
  static final long MAX_TTL = 0x7fffffffL;

  private RecordSyntax() {}

  static Name zone(String text) {
    if (text == null || text.isBlank()) {
      throw ApiException.badRequest("zone name is missing");
    }
    try {
      return Name.fromString(text.endsWith(".") ? text : text + ".");
    } catch (TextParseException e) {
      throw ApiException.badRequest("bad zone name '" + text + "': " + e.getMessage());
    }
  }

  /** "@" is the apex, "name." is absolute, anything else is relative to the zone. */
  static Name owner(String text, Name origin) {
    if (text == null || text.isBlank()) {
      throw ApiException.badRequest("record name is missing (use @ for the zone apex)");
    }
    try {
      Name name = text.equals("@") ? origin : Name.fromString(text, origin);
      if (!name.subdomain(origin)) {
        throw new ApiException(422, "outside_zone", name + " is not inside the zone " + origin);
      }
      return name;
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
    if (ttl < 0 || ttl > MAX_TTL) {
      throw ApiException.badRequest("TTL " + ttl + " is out of range 0.." + MAX_TTL);
    }
    return ttl;
  }

  static Record record(Name owner, int type, long ttl, String data, Name origin) {
    if (data == null || data.isBlank()) {
      throw ApiException.badRequest("record data is missing for " + owner + " " + Type.string(type));
    }
    try {
      return Record.fromString(owner, type, DClass.IN, ttl(ttl), data, origin);
    } catch (IOException | RuntimeException e) {
      // dnsjava places the problem in a file ("<none>:1: "): the request's data has no file
      String why = String.valueOf(e.getMessage()).replaceFirst("^<none>:\\d+: ", "");
      throw ApiException.badRequest("bad " + Type.string(type) + " data '" + data + "': " + why);
    }
  }
}
