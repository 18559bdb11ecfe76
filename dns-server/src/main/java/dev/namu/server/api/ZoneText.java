package dev.namu.server.api;

import dev.namu.zones.file.ZoneFileLoader;
import dev.namu.zones.file.ZoneFileRules;
import dev.namu.zones.file.ZoneLoad;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Zone file text (RFC 1035 section 5) in and out of the API: export, and import through the zones loader. */
final class ZoneText {

  /** How problems of imported text name their place: {@code import:LINE}. */
  static final String SHOWN = "import";

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

  /**
   * Parses zone text for {@code origin} by the import rules (no $INCLUDE, bounded records), in
   * memory: the server opens no file for it. Problems (with line numbers) become a 422.
   */
  static ZoneSnapshot parse(String text, Name origin) {
    ZoneLoad load = new ZoneFileLoader().load(SHOWN, text.getBytes(StandardCharsets.UTF_8), origin,
        ZoneFileRules.IMPORT);
    if (load.ok()) {
      return load.zone().get();
    }
    List<ZoneProblem> problems = load.problems().isEmpty()
        ? List.of(new ZoneProblem(SHOWN, 0, "no zone could be read"))
        : load.problems();
    throw new ApiException(422, "invalid_zone", "zone text for " + origin + " has "
        + problems.size() + " problem(s); first: " + problems.get(0), problems);
  }
}
