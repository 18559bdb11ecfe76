package dev.namu.server.api;

import dev.namu.zones.file.ZoneFileLoader;
import dev.namu.zones.file.ZoneLoad;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Zone file text (RFC 1035 section 5) in and out of the API: export, and import through the zones loader. */
final class ZoneText {

  private static final Pattern INCLUDE = Pattern.compile("(?im)^\\s*\\$INCLUDE\\b");

  private ZoneText() {}

  /**
   * The zone as a master file: $ORIGIN, the SOA first, then every record with absolute names, so
   * loading it back gives exactly the same records.
   */
  static String export(ZoneSnapshot zone) {
    StringBuilder out = new StringBuilder();
    out.append("; zone ").append(zone.origin()).append(" serial ").append(zone.serial()).append('\n');
    out.append("$ORIGIN ").append(zone.origin()).append('\n');
    out.append(zone.soa()).append('\n');
    for (Record r : zone.records()) {
      if (r.getType() != Type.SOA) {
        out.append(r).append('\n');
      }
    }
    return out.toString();
  }

  /** Parses zone text for {@code origin}; problems (with line numbers) become a 422. */
  static ZoneSnapshot parse(String text, Name origin) {
    // An imported text must not make the server read its own files.
    if (INCLUDE.matcher(text).find()) {
      throw new ApiException(422, "include_not_allowed", "$INCLUDE is not allowed in imported zone text");
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile("namu-import-", ".zone");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      ZoneLoad load = new ZoneFileLoader().load(tmp, origin);
      if (!load.problems().isEmpty() || load.zone().isEmpty()) {
        List<ZoneProblem> problems = new ArrayList<>();
        for (ZoneProblem p : load.problems()) {
          problems.add(new ZoneProblem("import", p.line(), p.message()));
        }
        if (problems.isEmpty()) {
          problems.add(new ZoneProblem("import", 0, "no zone could be read"));
        }
        throw new ApiException(422, "invalid_zone", "zone text for " + origin + " has "
            + problems.size() + " problem(s); first: " + problems.get(0), problems);
      }
      return load.zone().get();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }
}
