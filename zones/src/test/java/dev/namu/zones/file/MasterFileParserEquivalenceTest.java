package dev.namu.zones.file;

import static dev.namu.zones.TestZones.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.model.ZoneProblem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Address;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The fast path (byte scan + {@link SimpleLineParser}) must read every file exactly as the
 * Tokenizer alone does: the same records (text, TTL, class, owner spelling), from the same file
 * and line, and the same problems. Checked on every zone file of the tests, on hand-made edge
 * cases and on generated files mixing good and bad lines.
 */
class MasterFileParserEquivalenceTest {

  /** What a parse produced, in order, as comparable text. */
  private static final class Trace implements MasterFileParser.Sink {
    static final int MAX_EVENTS = 20_000;
    final List<String> events = new ArrayList<>();
    final List<Record> records = new ArrayList<>();

    @Override
    public void record(Record record, String file, int line) {
      records.add(record);
      events.add(file + ":" + line + " " + record.getClass().getSimpleName() + " " + record
          + " class " + record.getDClass());
    }

    @Override
    public boolean problem(ZoneProblem problem) {
      events.add("problem " + problem);
      // a parser that reported the same problem without moving on would never end otherwise
      return events.size() < MAX_EVENTS;
    }
  }

  private static Trace parse(Path file, Name origin, boolean fast) {
    Trace trace = new Trace();
    MasterFileParser parser = new MasterFileParser(trace, ZoneFileRules.FILES, fast);
    parser.parse(file, origin);
    return trace;
  }

  private static Trace assertSameReading(Path file, Name origin) {
    Trace general = parse(file, origin, false);
    Trace fast = parse(file, origin, true);
    assertEquals(general.events, fast.events, () -> "fast path differs on " + file + ":\n" + text(file));
    assertTrue(fast.events.size() < Trace.MAX_EVENTS, () -> "no end reading " + file + ":\n" + text(file));
    return fast;
  }

  private static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void everyTestZoneFileReadsTheSame() throws IOException, URISyntaxException {
    Path root = Path.of(getClass().getResource("/zones").toURI());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().endsWith(".zone")).sorted().collect(Collectors.toList());
    }
    assertTrue(files.size() >= 5, files::toString);
    for (Path f : files) {
      String fileName = f.getFileName().toString();
      assertSameReading(f, name(fileName.substring(0, fileName.length() - ".zone".length()) + "."));
    }
  }

  /**
   * Every zone file of the whole project (all modules' sources and test data: the built-in
   * example zones, the differential-test zones, the CLI's test zones, include files), read with
   * the origin its name gives.
   */
  @Test
  void everyZoneFileOfTheProjectReadsTheSame() throws IOException {
    Path project = Path.of("").toAbsolutePath().getParent();
    assertTrue(Files.isRegularFile(project.resolve("zones/pom.xml")),
        () -> "tests run in the zones module directory: " + project);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(project)) {
      files = walk.filter(p -> p.toString().contains("/src/"))
          .filter(p -> p.toString().endsWith(".zone") || p.toString().endsWith(".inc"))
          .sorted().collect(Collectors.toList());
    }
    assertTrue(files.stream().anyMatch(p -> p.toString().contains("/dns-server/")), files::toString);
    assertTrue(files.size() >= 20, files::toString);
    for (Path f : files) {
      String fileName = f.getFileName().toString();
      String zone = fileName.substring(0, fileName.lastIndexOf('.'));
      assertSameReading(f, name(zone.isEmpty() ? "." : zone + "."));
    }
  }

  /**
   * The records of Unbound's resolver scenarios (the shared conformance material, read in place:
   * it may not be copied into the project), each file's SECTION lines as one zone file. These are
   * real-world spellings of many types; the directory is optional on a developer's machine.
   */
  @Test
  void conformanceScenarioRecordsReadTheSame(@TempDir Path dir) throws IOException {
    Path scenarios = Path.of("/work/shared/conformance/unbound-iter");
    Assumptions.assumeTrue(Files.isDirectory(scenarios),
        "no conformance material at " + scenarios + ": only the project's own zone files are checked");
    List<Path> files;
    try (Stream<Path> list = Files.list(scenarios)) {
      files = list.filter(p -> p.toString().endsWith(".rpl")).sorted().collect(Collectors.toList());
    }
    int records = 0;
    for (Path rpl : files) {
      StringBuilder zone = new StringBuilder("$TTL 300\n");
      boolean inSection = false;
      for (String line : Files.readAllLines(rpl, StandardCharsets.ISO_8859_1)) {
        String t = line.trim();
        if (t.startsWith("SECTION ")) {
          inSection = true;
        } else if (t.startsWith("ENTRY_END") || t.startsWith("RANGE_") || t.startsWith("STEP")
            || t.startsWith("ENTRY_BEGIN") || t.startsWith("MATCH") || t.startsWith("REPLY")
            || t.startsWith("ADJUST")) {
          inSection = false;
        } else if (inSection) {
          zone.append(line).append('\n');
        }
      }
      Path f = dir.resolve(rpl.getFileName() + ".zone");
      Files.writeString(f, zone, StandardCharsets.ISO_8859_1);
      records += assertSameReading(f, name("example.com.")).records.size();
    }
    assertTrue(records > 1000, "records read from the scenarios: " + records);
  }

  @Test
  void plainRecordsTakeTheFastPathAndShareNames(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("plain.test.zone");
    Files.writeString(f, "$TTL 300\n@ SOA ns1 host 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"
        + "a A 192.0.2.2\na MX 10 mail\nb MX 20 mail\n\tTXT \"x y\" z\n");
    Trace t = assertSameReading(f, name("plain.test."));
    assertEquals(7, t.records.size());
    assertSame(t.records.get(3).getName(), t.records.get(4).getName(), "one Name per owner");
    assertSame(((MXRecord) t.records.get(4)).getTarget(), ((MXRecord) t.records.get(5)).getTarget(),
        "one Name per RDATA spelling");
    assertSame(t.records.get(5).getName(), t.records.get(6).getName(), "blank owner is the last owner");
  }

  @Test
  void handMadeEdgeCasesReadTheSame(@TempDir Path dir) throws IOException {
    String[] cases = {
      "$TTL 1h\n@ SOA ns1 host ( 1 2 3\n 4 5 ) ; c\n@ NS ns1\nns1 A 10.0.0.1\n",
      "a A 10.0.0.1\n", // no TTL anywhere: a problem
      "@ SOA ns1 host 1 2 3 4 5\na A 10.0.0.1\n", // SOA MINIMUM as default TTL
      "$TTL 60\na 30 IN A 10.0.0.1\nb IN 20 A 10.0.0.2\nc in a 10.0.0.3\nd CH A 10.0.0.4\n",
      "$TTL 60\na A 010.0.0.1\nb A 10.0.0.256\nc A 1.2.3\nd A 1.2.3.4.5\ne A 1.2.3.4 x\n",
      "$TTL 60\na AAAA ::1\nb AAAA 2001:DB8::1\nc AAAA 1::2::3\nd AAAA ::ffff:1.2.3.4\ne AAAA g::\n",
      "$TTL 60\na MX 10 mail\nb MX 70000 mail\nc MX x mail\nd MX 10\ne MX 10 mail.other.\n",
      "$TTL 60\na TXT \"a b\" \"c\"\nb TXT \"a\"\"b\"\nc TXT \"semi;colon\" ; real comment\n"
          + "d TXT \"(paren\"\ne TXT \"unterminated\nf TXT plain words\n",
      "$TTL 60\na TXT \"\"\nb TXT\nc TXT \"" + "x".repeat(256) + "\"\nd TXT \"" + "y".repeat(255) + "\"\n",
      "$TTL 60\na..b A 10.0.0.1\n-x A 10.0.0.1\n*.w A 10.0.0.1\nabs.other. A 10.0.0.1\n"
          + "a\\.b A 10.0.0.1\n\"q\" A 10.0.0.1\n" + "l".repeat(64) + " A 10.0.0.1\n",
      "$TTL 60\na A 10.0.0.1\r\nb A 10.0.0.2\r\n\tAAAA ::2\r\n; only a comment\r\n   \r\nc A 10.0.0.3",
      "$TTL 60\na A 10.0.0.1\nb A 10.0.0.2\rc A 10.0.0.3\nd A 10.0.0.4\n", // bare CR
      "$TTL 60\na A 10.0.0.1\nb A ( 10.0.0.2\nc A 10.0.0.3\n", // unbalanced at EOF
      "$TTL 60\na A 10.0.0.1 )\nb A 10.0.0.2\n", // stray close parenthesis
      "$TTL 60\na TXT \"x\\\"y\"\nb A 10.0.0.2\\\n10\nc A 10.0.0.3\n", // escapes
      "$TTL 60\n A 10.0.0.1\nx A 10.0.0.2\n  A 10.0.0.3\n", // blank owner first: a problem
      "$TTL 60\na NS ns\nb CNAME c\nc PTR d.\n@ NS @\ne CNAME @\nf NS ns extra\n",
      "$TTL 60\n$ORIGIN sub\na A 10.0.0.1\n$ORIGIN other.test.\nb MX 1 mail\nmail A 10.0.0.2\n",
      "$TTL 60\nA A 10.0.0.1\na A 10.0.0.2\nA AAAA ::1\n", // owner case: first spelling kept
      "$TTL 60\na 999999999 A 10.0.0.1\nb 1000000000 A 10.0.0.2\nc 4294967296 A 10.0.0.3\n"
          + "d 0010 A 10.0.0.4\ne 1W A 10.0.0.5\n",
      "$TTL 60\na TYPE1 10.0.0.1\nb A \\# 4 0a000001\nc SRV 1 2 3 t\nd FOO x\ne DNAME t\n",
      "$TTL 60\na A 10.0.0.1\n\u00e9 A 10.0.0.2\nb TXT \"caf\u00e9\"\nc A 10.0.0.3 ; caf\u00e9\n",
      "$TTL 60\na IN IN A 10.0.0.1\nb 5 6 A 10.0.0.1\nc IN 5 IN A 10.0.0.1\nd 5 IN 6 A 1.1.1.1\n",
      "$TTL 60\n$GENERATE 1-3 g$ A 10.0.0.$\ng4 A 10.0.0.4\n  A 10.0.0.5\n$BOGUS x\n",
      "\"a\nb A 10.0.0.1\n", // newline in quotes: the Tokenizer reads from here
      // escapes in names and text (\DDD and \X), both where they are the whole token and inside
      "$TTL 60\na\\065b A 10.0.0.1\nc\\.d A 10.0.0.2\n\\@ A 10.0.0.3\nx TXT \"\\065\\066\" \"a\\\"b\"\n"
          + "y TXT a\\ b c\\;d\nz TXT \"\\\\\"\nw MX 10 m\\065il\nv CNAME t\\.x\nu A 10.0.0.\\049\n",
      // semicolons and parentheses inside quotes, comments inside parentheses, nested lines
      "$TTL 60\na TXT \"x;y\" \"(z)\" ; c\nb TXT ( \"one\" ; c1\n \"two\" ) ; c2\nc MX ( 10\n\n mail )\n"
          + "d A 10.0.0.4\n",
      // directives: $ORIGIN relative and absolute, $TTL with units, $INCLUDE missing, $GENERATE forms
      "$TTL 1h30m\na A 10.0.0.1\n$ORIGIN sub\nb A 10.0.0.2\n$ORIGIN x.example.\n@ A 10.0.0.3\n"
          + "$TTL 2W\nc 1h30m A 10.0.0.4\nd 1H IN A 10.0.0.5\ne IN 1d A 10.0.0.6\n$INCLUDE nothere.inc\n"
          + "$GENERATE 0-2 h$ CNAME t${1,2,x}\n$GENERATE 1-2 g$ 77 IN A 10.1.0.$\n$GENERATE 5-1 b$ A 1.1.1.1\n"
          + "$generate 1-1 lower$ A 10.2.0.1\n$ttl 30\n$origin low.example.\nf A 10.0.0.7\n",
      // unknown types and RFC 3597 generic RDATA, known types in generic form
      "$TTL 60\na TYPE123 \\# 3 010203\nb TYPE123 \\# 0\nc A \\# 4 0A000001\nd TYPE1 \\# 4 0a000001\n"
          + "e TYPE65535 \\# 2 0102 ; c\nf CLASS1 A 10.0.0.1\ng CLASS3 TXT x\nh TYPE123 \\# 4 0102\n",
      // class and TTL in both orders, blank owners continuing, tabs everywhere
      "$TTL 60\na\tIN\t30\tA\t10.0.0.1\n\t30\tIN\tAAAA\t::1\n \tIN\tMX\t5\tmx\nb\t40\tA\t10.0.0.2\n"
          + "\t\tTXT\t\"t\tab\"\n\tin\ta\t10.0.0.3\n",
      // a bad record between good ones, bad names, bad numbers
      "$TTL 60\na A 10.0.0.1\nb A 10.0.0.x\nc A 10.0.0.3\nd MX -1 mail\ne MX 65536 mail\n"
          + "f NS bad..name\ng A 10.0.0.7\nh 4294967296 A 10.0.0.8\ni TXT \"" + "z".repeat(300) + "\"\n"
          + "j A 10.0.0.10\n",
      // garbage: control bytes, DEL, NUL, bytes above 127, a lone backslash at the end
      "$TTL 60\na A 10.0.0.1\n\u0001\u0002 A 10.0.0.2\nb A 10.0.0.3\u0000\nc TXT \"\u007f\"\nd A 10.0.0.4\n"
          + "\u00ff\u00fe A 10.0.0.5\ne A 10.0.0.6\\",
      // missing final newline after a record, a comment, a parenthesis
      "$TTL 60\na A 10.0.0.1",
      "$TTL 60\na A 10.0.0.1\n; last",
      "$TTL 60\na TXT ( \"x\" )",
      "$TTL 60\na TXT \"x\"\n\"unterminated",
      "$TTL 60\r\na A 10.0.0.1\r\n\r\nb ( A\r\n 10.0.0.2 )\r\n\tTXT \"c\r\n",
      "", "\n", "   ", "; nothing\n", "\r\n",
    };
    for (int i = 0; i < cases.length; i++) {
      Path f = dir.resolve("case" + i + ".zone");
      Files.write(f, cases[i].getBytes(StandardCharsets.UTF_8));
      assertSameReading(f, name("edge.test."));
    }
    Path bom = dir.resolve("bom.zone");
    Files.write(bom, ("\uFEFF$TTL 60\na A 10.0.0.1\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(1, assertSameReading(bom, name("edge.test.")).records.size());
  }

  @Test
  void includedFilesReadTheSame(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("inc.zone"), "x A 10.0.0.9\n  AAAA ::9\nbad A 1.2.3\n");
    Path main = dir.resolve("main.zone");
    Files.writeString(main, "$TTL 60\na A 10.0.0.1\n$INCLUDE inc.zone sub\n  A 10.0.0.2\n"
        + "$INCLUDE missing.zone\nb A 10.0.0.3\n");
    Trace t = assertSameReading(main, name("inc.test."));
    assertEquals(5, t.records.size());
    assertTrue(t.events.stream().anyMatch(e -> e.startsWith("problem") && e.contains("inc.zone:3")),
        t.events::toString);
  }

  /** Every IPv6 spelling the fast path accepts, dnsjava reads as the same address. */
  @Test
  void ipv6AddressesReadAsDnsjavaReadsThem() {
    String[] fixed = {"::", "::1", "1::", "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1::8", "fffff::", "1:2:3:4:5:6:7:8:9", ":1::",
        "1:::2", "1::2::3", "1:", ":", "", "0:0:0:0:0:0:0:0", "12345::", "a:b:c:d:e:f:0:1"};
    List<String> inputs = new ArrayList<>(List.of(fixed));
    Random random = new Random(4291L);
    String alphabet = "0aF9::";
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(24);
      for (int k = 0; k < len; k++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      inputs.add(sb.toString());
    }
    int accepted = 0;
    for (String text : inputs) {
      byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
      byte[] fast = SimpleLineParser.ipv6(bytes, 0, bytes.length);
      if (fast != null) {
        accepted++;
        assertArrayEquals(Address.toByteArray(text, Address.IPv6), fast, text);
      }
    }
    assertTrue(accepted > 1000, "accepted " + accepted);
    assertTrue(SimpleLineParser.ipv6("2001:db8::1".getBytes(StandardCharsets.US_ASCII), 0, 11) != null);
  }

  /** Random lines from pools of good and bad tokens: the two readings must agree on all of it. */
  @Test
  void generatedFilesReadTheSame(@TempDir Path dir) throws IOException {
    String[] owners = {"", "", "@", "a", "A", "h1", "x.y", "abs.test.", "*", "*.w", "a..b", "-x",
        "\u00e9", "a\\.b", "\"q\"", "mail", "sub.a", "x;c"};
    String[] ttls = {"", "", "", "0", "3600", "1h", "999999999", "1000000000", "00010"};
    String[] classes = {"", "", "", "IN", "in", "CH", "CLASS1"};
    String[] types = {"A", "a", "AAAA", "MX", "mx", "NS", "CNAME", "PTR", "TXT", "txt", "SOA",
        "TYPE1", "SRV", "FOO", "", "Ptr"};
    String[] rdatas = {"10.0.0.1", "10.0.0.256", "010.0.0.1", "1.2.3", "::1", "2001:db8::1",
        "2001:db8::g", "1::2::3", "mail", "mail.", "@", "10 mail", "70000 mail", "\"txt\"",
        "\"a\" \"b\"", "\"a\"\"b\"", "plain", "\"unterminated", "( 10.0.0.1 )", "10.0.0.1 ; c",
        "10.0.0.1 extra", "\"semi;colon\"", "\\# 4 01020304", "ns1 host 1 2 3 4 5", "", "( 10 mail\n )",
        "5 mail.x.", "\"caf\u00e9\""};
    String[] specials = {"", "; comment", "   ", "$TTL 120", "$TTL x", "$ORIGIN sub", "$ORIGIN ",
        ")", "\t"};
    Random random = new Random(20261124L);
    for (int f = 0; f < 200; f++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (random.nextBoolean()) {
        out.writeBytes("$TTL 300\n@ SOA ns1 host 1 2 3 4 5\n".getBytes(StandardCharsets.UTF_8));
      }
      for (int l = 0; l < 200; l++) {
        String line;
        if (random.nextInt(12) == 0) {
          line = pick(random, specials);
        } else {
          String owner = pick(random, owners);
          String sep = random.nextInt(4) == 0 ? "\t" : " ";
          line = (owner.isEmpty() ? (random.nextBoolean() ? " " : "\t") : owner + sep)
              + join(sep, pick(random, ttls), pick(random, classes), pick(random, types),
                  pick(random, rdatas));
        }
        String end = random.nextInt(10) == 0 ? "\r\n" : "\n";
        out.writeBytes((line + end).getBytes(StandardCharsets.UTF_8));
      }
      Path file = dir.resolve("gen" + f + ".zone");
      Files.write(file, out.toByteArray());
      Trace t = assertSameReading(file, name("gen.test."));
      assertFalse(t.events.isEmpty());
    }
  }

  /**
   * Lines of a plain zone changed at random, a byte at a time (inserted, replaced, deleted) with
   * the bytes that matter to the master-file syntax and a few that should never be there: every
   * file must read the same on both paths, good lines and bad.
   */
  @Test
  void mutatedFilesReadTheSame(@TempDir Path dir) throws IOException {
    String[] base = {
      "$TTL 300", "@ SOA ns1 host 1 2 3 4 5", "@ NS ns1", "@ NS ns2.other.", "ns1 A 192.0.2.1",
      "h000001 A 10.0.0.1", "h000001 AAAA 2001:db8::1", "h000001 MX 10 mail",
      "h000001 TXT \"host 1 benchmark text record\"", "c00001 CNAME h000001", "*.wild A 10.255.0.1",
      "sub NS ns1.sub", "ns1.sub A 127.0.0.21", " A 10.0.0.2", "\tAAAA ::2", "h2 3600 IN A 10.0.0.3",
      "h3 IN 60 AAAA 2001:db8:0:0:1:0:0:1", "ptr PTR h2", "t TXT a b \"c d\"", "m MX 0 @",
      "$ORIGIN sub.gen.test.", "x A 10.0.0.4", "$ORIGIN gen.test.", "y 1h A 10.0.0.5",
      "srv SRV 1 2 3 t", "; comment", "", "big ( A", " 10.0.0.6 )", "$GENERATE 1-3 g$ A 10.9.0.$",
    };
    String inserts = "\\\"();$@.*\t\r\n 09aZ:-_#\u00e9\u0000\u007f\u00ff";
    Random random = new Random(5L);
    for (int f = 0; f < 300; f++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int lines = 20 + random.nextInt(60);
      for (int l = 0; l < lines; l++) {
        StringBuilder line = new StringBuilder(pick(random, base));
        int mutations = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
        for (int m = 0; m < mutations; m++) {
          int at = line.length() == 0 ? 0 : random.nextInt(line.length() + 1);
          char c = inserts.charAt(random.nextInt(inserts.length()));
          switch (random.nextInt(3)) {
            case 0 -> line.insert(at, c);
            case 1 -> {
              if (at < line.length()) {
                line.setCharAt(at, c);
              }
            }
            default -> {
              if (at < line.length()) {
                line.deleteCharAt(at);
              }
            }
          }
        }
        out.writeBytes(line.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (l < lines - 1 || random.nextBoolean()) { // sometimes no newline at the end
          out.writeBytes((random.nextInt(8) == 0 ? "\r\n" : "\n").getBytes(StandardCharsets.US_ASCII));
        }
      }
      Path file = dir.resolve("mut" + f + ".zone");
      Files.write(file, out.toByteArray());
      assertSameReading(file, name("gen.test."));
    }
  }

  /** Files of random bytes drawn mostly from the syntax's own characters. */
  @Test
  void randomBytesReadTheSame(@TempDir Path dir) throws IOException {
    byte[] alphabet = "aA0 9\t\n\n\n\r\\\";()$@.*:#xIN".getBytes(StandardCharsets.US_ASCII);
    Random random = new Random(77L);
    for (int f = 0; f < 200; f++) {
      byte[] bytes = new byte[random.nextInt(400)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = random.nextInt(10) == 0 ? (byte) random.nextInt(256)
            : alphabet[random.nextInt(alphabet.length)];
      }
      byte[] head = "$TTL 60\na A 10.0.0.1\n".getBytes(StandardCharsets.US_ASCII);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(head);
      out.writeBytes(bytes);
      Path file = dir.resolve("rnd" + f + ".zone");
      Files.write(file, out.toByteArray());
      assertSameReading(file, name("rnd.test."));
    }
  }

  private static String pick(Random random, String[] pool) {
    return pool[random.nextInt(pool.length)];
  }

  private static String join(String sep, String... parts) {
    return Stream.of(parts).filter(s -> !s.isEmpty()).collect(Collectors.joining(sep));
  }
}
