package dev.namu.resolver.replay;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Parses Unbound's .rpl replay format (testcode/replay.h, testpkts.h): the config block up to
 * CONFIG_END, then SCENARIO_BEGIN, RANGE_BEGIN/ADDRESS/ENTRY.../RANGE_END blocks and STEPs.
 */
final class ScenarioParser {
  /** testpkts.c: records without a TTL get 3600. */
  private static final long DEFAULT_TTL = 3600;
  /** DO bit in the OPT TTL field (RFC 3225). */
  private static final int DO_FLAG = 0x8000;

  private final List<String> lines;
  private final String name;
  private int pos;
  /** Set by $ORIGIN lines (testpkts.c allows them anywhere); relative names use it. */
  private Name origin = Name.root;

  private ScenarioParser(String name, List<String> lines) {
    this.name = name;
    this.lines = lines;
  }

  static Scenario parse(Path file) throws IOException {
    return parse(file.getFileName().toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  static Scenario parse(String name, List<String> lines) throws IOException {
    return new ScenarioParser(name, lines).parse();
  }

  private IOException error(String msg) {
    return new IOException(name + ":" + pos + ": " + msg);
  }

  private static String strip(String line) {
    int c = line.indexOf(';');
    String s = c >= 0 ? line.substring(0, c) : line;
    return s.trim();
  }

  private Scenario parse() throws IOException {
    Map<String, List<String>> server = new LinkedHashMap<>();
    List<Scenario.Zone> stubs = new ArrayList<>();
    List<Scenario.Zone> forwards = new ArrayList<>();
    // Config block.
    Map<String, List<String>> current = server;
    Scenario.Zone zone = null;
    List<Scenario.Zone> zoneList = null;
    while (pos < lines.size()) {
      String raw = lines.get(pos++);
      String l = raw;
      int hash = l.indexOf('#');
      if (hash >= 0) l = l.substring(0, hash);
      l = l.trim();
      if (l.equals("CONFIG_END")) break;
      if (l.isEmpty() || l.startsWith(";")) continue;
      if (l.equals("server:")) { current = server; zone = null; continue; }
      if (l.equals("stub-zone:") || l.equals("forward-zone:")) {
        zone = new Scenario.Zone(null, new ArrayList<>(), new LinkedHashMap<>());
        zoneList = l.equals("stub-zone:") ? stubs : forwards;
        zoneList.add(zone);
        current = null;
        continue;
      }
      if (l.endsWith(":") && !l.contains(" ")) { current = new LinkedHashMap<>(); zone = null; continue; }
      int colon = l.indexOf(':');
      if (colon < 0) continue;
      String key = l.substring(0, colon).trim();
      String value = unquote(l.substring(colon + 1).trim());
      if (zone != null) {
        if (key.equals("name")) {
          Scenario.Zone z = new Scenario.Zone(value, zone.addresses(), zone.options());
          zoneList.set(zoneList.indexOf(zone), z);
          zone = z;
        } else if (key.equals("stub-addr") || key.equals("forward-addr")) {
          zone.addresses().add(value);
        } else {
          zone.options().put(key, value);
        }
      } else if (current != null) {
        current.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      }
    }
    String title = "";
    List<Scenario.Range> ranges = new ArrayList<>();
    List<Scenario.Step> steps = new ArrayList<>();
    for (String l = nextLine(); l != null; l = nextLine()) {
      String[] tok = l.split("\\s+");
      switch (tok[0]) {
        case "SCENARIO_BEGIN" -> title = l.substring("SCENARIO_BEGIN".length()).trim();
        case "SCENARIO_END" -> { return new Scenario(name, title, server, stubs, forwards, ranges, steps); }
        case "RANGE_BEGIN" -> ranges.add(parseRange(Integer.parseInt(tok[1]), Integer.parseInt(tok[2])));
        case "STEP" -> steps.add(parseStep(tok));
        default -> { /* unknown top-level lines are ignored, as testbound does with comments */ }
      }
    }
    throw error("missing SCENARIO_END");
  }

  /** The next line with content, its comment stripped, past $ORIGIN lines (which set the origin); null at the end. */
  private String nextLine() throws IOException {
    while (pos < lines.size()) {
      String l = strip(lines.get(pos++));
      if (!l.isEmpty() && !setOrigin(l.split("\\s+"))) return l;
    }
    return null;
  }

  private boolean setOrigin(String[] tok) throws IOException {
    if (!tok[0].equals("$ORIGIN") || tok.length < 2) return false;
    origin = Name.fromString(tok[1], Name.root);
    return true;
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) return v.substring(1, v.length() - 1);
    return v;
  }

  private Scenario.Range parseRange(int start, int end) throws IOException {
    InetAddress addr = null;
    List<Entry> entries = new ArrayList<>();
    for (String l = nextLine(); l != null; l = nextLine()) {
      String[] tok = l.split("\\s+");
      switch (tok[0]) {
        case "ADDRESS" -> addr = InetAddress.getByName(tok[1]);
        case "ENTRY_BEGIN" -> entries.add(parseEntry());
        case "RANGE_END" -> { return new Scenario.Range(start, end, addr, entries); }
        default -> { }
      }
    }
    throw error("missing RANGE_END");
  }

  private Scenario.Step parseStep(String[] tok) throws IOException {
    int line = pos;
    int n = Integer.parseInt(tok[1]);
    String type = tok[2];
    double elapse = 0;
    InetAddress addr = null;
    for (int i = 3; i + 1 < tok.length; i++) {
      if (tok[i].equals("ELAPSE")) elapse = Double.parseDouble(tok[i + 1]);
      if (tok[i].equals("ADDRESS")) addr = InetAddress.getByName(tok[i + 1]);
    }
    Entry entry = null;
    if (type.equals("QUERY") || type.equals("CHECK_ANSWER") || type.equals("CHECK_OUT_QUERY")
        || type.equals("REPLY")) {
      while (pos < lines.size()) {
        String l = strip(lines.get(pos));
        if (l.isEmpty()) { pos++; continue; }
        if (l.equals("ENTRY_BEGIN")) { pos++; entry = parseEntry(); }
        break;
      }
    }
    return new Scenario.Step(n, type, elapse, addr, entry, line);
  }

  private Entry parseEntry() throws IOException {
    int line = pos;
    Set<String> match = new LinkedHashSet<>();
    Set<String> adjust = new LinkedHashSet<>();
    List<String> flags = new ArrayList<>();
    Map<Integer, StringBuilder> sections = new LinkedHashMap<>();
    StringBuilder hex = null;
    int section = -1;
    for (String l = nextLine(); l != null; l = nextLine()) {
      String[] tok = l.split("\\s+");
      switch (tok[0]) {
        case "ENTRY_END" -> {
          List<Integer> malformed = new ArrayList<>();
          Message m = build(flags, sections, malformed);
          byte[] bytes = hex != null ? HexFormat.of().parseHex(hex.toString())
              : malformed.isEmpty() ? null : wireWithMalformed(m, malformed);
          return new Entry(line, match, adjust, m, bytes, flags);
        }
        case "MATCH" -> { for (int i = 1; i < tok.length; i++) match.add(tok[i]); }
        case "ADJUST" -> { for (int i = 1; i < tok.length; i++) adjust.add(tok[i]); }
        case "REPLY" -> { for (int i = 1; i < tok.length; i++) flags.add(tok[i].toUpperCase(Locale.ROOT)); }
        case "SECTION" -> {
          section = switch (tok[1].toUpperCase(Locale.ROOT)) {
            case "QUESTION" -> Section.QUESTION;
            case "ANSWER" -> Section.ANSWER;
            case "AUTHORITY" -> Section.AUTHORITY;
            case "ADDITIONAL" -> Section.ADDITIONAL;
            default -> throw error("unknown section " + tok[1]);
          };
          sections.computeIfAbsent(section, k -> new StringBuilder());
        }
        case "HEX_ANSWER_BEGIN" -> {
          hex = new StringBuilder();
          while (pos < lines.size()) {
            String h = strip(lines.get(pos++));
            if (h.equals("HEX_ANSWER_END")) break;
            hex.append(h.replaceAll("[^0-9a-fA-F]", ""));
          }
        }
        default -> {
          if (section >= 0) sections.get(section).append(l).append('\n');
        }
      }
    }
    throw error("missing ENTRY_END");
  }

  /**
   * Builds the entry's packet. A record in generic form (RFC 3597 section 5) whose RDATA does not
   * fit its type (an A of three bytes) cannot be a dnsjava record: it is built as a record of
   * {@link #MALFORMED_STAND_IN} and its type added to {@code malformed}, for {@link
   * #wireWithMalformed} to put back on the wire.
   */
  private Message build(List<String> flags, Map<Integer, StringBuilder> sections, List<Integer> malformed)
      throws IOException {
    Message m = new Message(0);
    m.getHeader().unsetFlag(Flags.RD);
    boolean dnssecOk = false;
    for (String f : flags) {
      switch (f) {
        case "QR" -> m.getHeader().setFlag(Flags.QR);
        case "AA" -> m.getHeader().setFlag(Flags.AA);
        case "TC" -> m.getHeader().setFlag(Flags.TC);
        case "RD" -> m.getHeader().setFlag(Flags.RD);
        case "RA" -> m.getHeader().setFlag(Flags.RA);
        case "CD" -> m.getHeader().setFlag(Flags.CD);
        case "AD" -> m.getHeader().setFlag(Flags.AD);
        case "DO" -> dnssecOk = true;
        case "NOTIMPL" -> m.getHeader().setRcode(Rcode.NOTIMP);
        default -> {
          int rc = Rcode.value(f);
          if (rc >= 0) m.getHeader().setRcode(rc);
        }
      }
    }
    StringBuilder q = sections.get(Section.QUESTION);
    if (q != null) {
      for (String l : q.toString().split("\n")) {
        if (l.isBlank()) continue;
        String[] t = l.trim().split("\\s+");
        Name n = Name.fromString(t[0], origin);
        int type = Type.value(t[t.length - 1]);
        if (type < 0) throw error("bad question type in: " + l);
        m.addRecord(Record.newRecord(n, type, DClass.IN), Section.QUESTION);
      }
    }
    for (int s : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      StringBuilder b = sections.get(s);
      if (b == null) continue;
      String text = dev.namu.resolver.validate.TrustAnchors.numericAlgorithms(standInForMalformed(b.toString(), malformed));
      try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
          origin, DEFAULT_TTL)) {
        Record r;
        while ((r = master.nextRecord()) != null) {
          m.addRecord(r, s);
        }
      } catch (IOException | RuntimeException e) {
        throw error("bad record in section: " + e.getMessage());
      }
    }
    if (dnssecOk) {
      m.addRecord(new OPTRecord(4096, 0, 0, DO_FLAG), Section.ADDITIONAL);
    }
    return m;
  }

  /** A private-use type (RFC 6895 section 3.1): dnsjava keeps its RDATA as bytes. */
  private static final int MALFORMED_STAND_IN = 65280;

  private String standInForMalformed(String text, List<Integer> malformed) {
    StringBuilder out = new StringBuilder();
    for (String l : text.split("\n")) {
      String[] t = l.trim().split("\\s+");
      int generic = java.util.Arrays.asList(t).indexOf("\\#");
      if (generic > 1 && Type.value(t[generic - 1]) >= 0 && !parses(l)) {
        malformed.add(Type.value(t[generic - 1]));
        t[generic - 1] = "TYPE" + MALFORMED_STAND_IN;
        l = String.join(" ", t);
      }
      out.append(l).append('\n');
    }
    return out.toString();
  }

  private boolean parses(String line) {
    try (Master master = new Master(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), origin, DEFAULT_TTL)) {
      master.nextRecord();
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The packet's wire form with each stand-in record given back the type it had in the file. */
  private static byte[] wireWithMalformed(Message m, List<Integer> malformed) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(m.toWire(), 0, 12); // the header: flags and counts
    java.util.Iterator<Integer> types = malformed.iterator();
    for (int s = Section.QUESTION; s <= Section.ADDITIONAL; s++) {
      for (Record r : m.getSection(s)) {
        byte[] rr = r.toWire(s);
        if (r.getType() == MALFORMED_STAND_IN && types.hasNext()) {
          int type = types.next();
          int at = r.getName().length(); // uncompressed owner, then the type
          rr[at] = (byte) (type >>> 8);
          rr[at + 1] = (byte) type;
        }
        out.write(rr, 0, rr.length);
      }
    }
    return out.toByteArray();
  }
}
