package dev.namu.zones.file;

import static dev.namu.zones.TestZones.name;
import static dev.namu.zones.TestZones.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.model.Node;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneFileLoaderTest {

  private final ZoneFileLoader loader = new ZoneFileLoader();

  /** Loads a zone that must fail: its problems, one line each. */
  private List<String> problems(Path file, String origin) {
    ZoneLoad load = loader.load(file, name(origin));
    assertFalse(load.ok());
    return lines(load);
  }

  private static List<String> lines(ZoneLoad load) {
    return load.problems().stream().map(ZoneProblem::toString).collect(Collectors.toList());
  }

  @Test
  void loadsEveryMasterFileFeature() {
    Path file = resource("syntax/features.test.zone");
    ZoneLoad load = loader.load(file, name("features.test."));
    assertTrue(load.ok(), () -> lines(load).toString());
    ZoneSnapshot z = load.zone().orElseThrow();
    assertEquals(42, z.serial());
    assertEquals(3600, z.soa().getTTL());
    assertEquals(300, z.soa().getMinimum());
    assertEquals(1209600, z.soa().getExpire());
    // $INCLUDE relative to the including file, owner carried over inside it
    assertNotNull(z.node(name("host1.features.test.")));
    assertEquals(1, z.node(name("host2.features.test.")).rrset(Type.AAAA).size());
    // $INCLUDE with an origin, and the origin restored afterwards
    assertNotNull(z.node(name("www.sub.features.test.")));
    assertNotNull(z.node(name("after.features.test.")));
    assertNotNull(z.node(name("rel.deep.features.test.")));
    // $TTL and explicit TTLs, class before TTL
    assertEquals(120, z.node(name("ttl120.features.test.")).rrset(Type.A).getTTL());
    assertEquals(60, z.node(name("ttl60.features.test.")).rrset(Type.A).getTTL());
    assertEquals(30, z.node(name("classfirst.features.test.")).rrset(Type.A).getTTL());
    // $GENERATE with plain and formatted counters
    for (int i = 1; i <= 5; i++) {
      assertEquals("10.0.1." + i, z.node(name("gen" + i + ".features.test.")).first(Type.A).rdataToString());
    }
    assertTrue(z.node(name("gen010.features.test.")).hasCname());
    assertTrue(z.node(name("gen015.features.test.")).hasCname());
    // RFC 3597 unknown types
    Record unk = z.node(name("unknown.features.test.")).first(12345);
    assertEquals("\\# 4 01020304", unk.rdataToString());
    assertNotNull(z.node(name("emptyunk.features.test.")).first(65000));
    // escaped names: one label "a.b", and one label that is a space
    Node dotted = z.node(name("a\\.b.features.test."));
    assertNotNull(dotted);
    assertEquals(4, dotted.name().labels()); // "a.b", features, test, root
    assertNotNull(z.node(name("\\032.features.test.")));
    assertEquals(2, z.node(name("multi.features.test.")).first(Type.TXT).rdataToString().split("\" \"").length);
    assertEquals("upper.CASE.features.test.", z.node(name("UPPER.case.features.test.")).name().toString());
  }

  @Test
  void syntaxErrorsNameFileAndLineAndEveryBadLine() {
    Path file = resource("bad/syntax.test.zone");
    List<String> got = problems(file, "syntax.test.");
    String f = file.toString();
    assertEquals(5, got.size(), got::toString);
    assertTrue(got.get(0).startsWith(f + ":5: "), got::toString);
    assertTrue(got.get(0).contains("10.0.0.300"), got::toString);
    assertTrue(got.get(1).startsWith(f + ":6: "), got::toString);
    assertTrue(got.get(2).startsWith(f + ":8: ") && got.get(2).contains("FOO"), got::toString);
    assertTrue(got.get(3).startsWith(f + ":9: "), got::toString);
    assertTrue(got.get(4).startsWith(f + ":10: ") && got.get(4).contains("$BOGUS"), got::toString);
  }

  /** An open quote at the end of the file is one problem, not the same one a thousand times. */
  @Test
  void quoteOpenAtTheEndIsOneProblem(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("open.test.zone");
    Files.writeString(file, "$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 10.0.0.1\nx TXT \"unterminated");
    List<String> got = problems(file, "open.test.");
    assertEquals(1, got.size(), got::toString);
    assertTrue(got.get(0).startsWith(file + ":") && got.get(0).contains("quoted string"), got::toString);
  }

  @Test
  void includedFilesReportTheirOwnPath() {
    Path file = resource("bad/include.test.zone");
    ZoneLoad load = loader.load(file, name("include.test."));
    List<String> got = lines(load);
    assertEquals(2, got.size(), got::toString);
    Path inc = file.getParent().resolve("inc/broken.inc");
    assertTrue(got.get(0).startsWith(inc + ":2: "), got::toString);
    assertTrue(got.get(1).startsWith(file + ":6: ") && got.get(1).contains("missing.inc"), got::toString);
  }

  @Test
  void validationErrorsPointAtTheRecord() {
    Path file = resource("bad/semantic.test.zone");
    List<String> got = problems(file, "semantic.test.");
    String f = file.toString();
    assertTrue(got.contains(f + ":7: other.example. A is outside the zone semantic.test."), got::toString);
    assertTrue(got.stream().anyMatch(s -> s.startsWith(f + ":5: ") && s.contains("CNAME and other data")), got::toString);
    assertTrue(got.stream().anyMatch(s -> s.startsWith(f + ":8: ") && s.contains("no glue")), got::toString);
    assertTrue(got.stream().anyMatch(s -> s.startsWith(f + ":10: ") && s.contains("not the zone apex")), got::toString);
  }

  @Test
  void zoneWideProblems() {
    assertTrue(lines(loader.load(resource("bad/nosoa.test.zone"), name("nosoa.test."))).stream()
        .anyMatch(s -> s.contains("no SOA")));
    List<String> nons = lines(loader.load(resource("bad/nons.test.zone"), name("nons.test.")));
    assertTrue(nons.stream().anyMatch(s -> s.endsWith("nons.test.zone:2: zone nons.test. has no NS records at its apex")), nons::toString);
    List<String> dname = lines(loader.load(resource("bad/dname.test.zone"), name("dname.test.")));
    assertTrue(dname.stream().anyMatch(s -> s.contains(":6: ") && s.contains("DNAME")), dname::toString);
  }

  @Test
  void missingFileAndEmptyFile(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("nope.zone");
    assertEquals(List.of(missing + ":0: cannot read zone file: no such file"),
        lines(loader.load(missing, name("nope."))));
    Path empty = Files.writeString(dir.resolve("empty.zone"), "; nothing\n");
    assertTrue(lines(loader.load(empty, name("empty."))).get(0).contains("no SOA"));
  }

  @Test
  void soaMinimumIsTheDefaultTtlWithoutDollarTtl(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("t.zone"), "@ SOA ns h 1 2 3 4 77\n NS ns\nns A 10.0.0.1\n");
    ZoneSnapshot z = loader.load(f, name("t.")).zone().orElseThrow();
    assertEquals(77, z.soa().getTTL());
    assertEquals(77, z.node(name("ns.t.")).rrset(Type.A).getTTL());
  }

  @Test
  void badInputNeverThrows(@TempDir Path dir) throws IOException {
    String[] inputs = {
      "@ SOA ns h 1 2 3 4 5\n NS ns\nns A 10.0.0.1\nx TXT \"unterminated\n",
      "(((\n",
      ")\n",
      " A 10.0.0.1\n",
      "$INCLUDE\n",
      "$INCLUDE t.zone\n",
      "$GENERATE 5-1 x$ A 10.0.0.$\n",
      "$GENERATE 1-2 x$ MX 10 a\n",
      "$ORIGIN\n",
      "$TTL abc\n",
      "x 300 IN\n",
      "a\\ A 1.1.1.1\n",
      "\u0000\u0001\u00ff\n",
      "x TYPE1 \\# 3 0102\n",
    };
    for (String input : inputs) {
      Path f = Files.writeString(dir.resolve("t.zone"), input);
      ZoneLoad load = loader.load(f, name("t."));
      assertFalse(load.ok(), input);
      assertFalse(load.problems().isEmpty(), input);
      for (ZoneProblem p : load.problems()) {
        assertTrue(p.file().endsWith("t.zone"), p.toString());
      }
    }
  }

  @Test
  void loadsLargeZone(@TempDir Path dir) throws IOException {
    StringBuilder sb = new StringBuilder("$TTL 300\n@ SOA ns h 1 2 3 4 5\n NS ns\nns A 10.0.0.1\n");
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      sb.append("host").append(i).append(" A 10.").append((i >> 16) & 255).append('.')
          .append((i >> 8) & 255).append('.').append(i & 255).append('\n');
    }
    Path f = Files.writeString(dir.resolve("big.zone"), sb);
    long t0 = System.nanoTime();
    ZoneLoad load = loader.load(f, name("big."));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(load.ok(), () -> lines(load).toString());
    assertEquals(n + 3, load.zone().orElseThrow().records().size());
    assertTrue(ms < 15_000, "load took " + ms + " ms");
  }

  @Test
  void includeLoopsAreStopped(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("a.inc"), "x A 10.0.0.5\n$INCLUDE b.inc\n");
    Files.writeString(dir.resolve("b.inc"), "$INCLUDE a.inc\n");
    Path f = Files.writeString(dir.resolve("loop.zone"),
        "$TTL 1\n@ SOA ns h 1 2 3 4 5\n NS ns\nns A 10.0.0.1\n$INCLUDE a.inc\n");
    List<String> got = lines(loader.load(f, name("loop.")));
    assertEquals(1, got.size(), got::toString);
    assertTrue(got.get(0).startsWith(dir.resolve("b.inc") + ":1: ") && got.get(0).contains("itself"), got::toString);
  }

  @Test
  void generateDirectivesExpand() {
    ZoneLoad load = loader.load(resource("syntax/generate.test.zone"), name("generate.test."));
    assertTrue(load.ok(), () -> lines(load).toString());
    ZoneSnapshot z = load.zone().orElseThrow();
    assertEquals("host-105.example.com.", z.node(name("105.generate.test.")).first(Type.PTR).rdataToString());
    assertEquals("150.128/26.generate.test.", z.node(name("150.generate.test.")).first(Type.CNAME).rdataToString());
    assertEquals(4 + 2 + 11 + 1 + 64, z.records().size());
  }

  @Test
  void randomlyDamagedFilesNeverThrow(@TempDir Path dir) throws IOException {
    String good = new String(Files.readAllBytes(resource("good/example.com.zone")), java.nio.charset.StandardCharsets.ISO_8859_1);
    java.util.Random random = new java.util.Random(20261124L);
    String junk = "()\"\\;$@*. \t\n0123456789abcxyzABC#-/";
    Path f = dir.resolve("fuzz.zone");
    int failed = 0;
    for (int round = 0; round < 300; round++) {
      StringBuilder sb = new StringBuilder(good);
      int edits = 1 + random.nextInt(8);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(sb.length());
        switch (random.nextInt(3)) {
          case 0 -> sb.deleteCharAt(at);
          case 1 -> sb.insert(at, junk.charAt(random.nextInt(junk.length())));
          default -> sb.setCharAt(at, (char) random.nextInt(256));
        }
      }
      Files.write(f, sb.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      ZoneLoad load = loader.load(f, name("example.com."));
      if (!load.ok()) {
        failed++;
        for (ZoneProblem p : load.problems()) {
          assertTrue(p.file().equals(f.toString()) && p.line() >= 0 && !p.message().isBlank(), p.toString());
        }
      }
    }
    assertTrue(failed > 50, "the damage should break most files: " + failed);
  }

  @Test
  void windowsLineEndsAndByteOrderMarkAreAccepted(@TempDir Path dir) throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] text = "$TTL 300\r\n@ SOA ns h 1 2 3 4 5\r\n  NS ns\r\nns A 10.0.0.1\r\nx TXT \"a b\"\r\n"
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] all = new byte[bom.length + text.length];
    System.arraycopy(bom, 0, all, 0, bom.length);
    System.arraycopy(text, 0, all, bom.length, text.length);
    Path f = Files.write(dir.resolve("w.zone"), all);
    ZoneLoad load = loader.load(f, name("w."));
    assertTrue(load.ok(), () -> lines(load).toString());
    assertEquals("\"a b\"", load.zone().orElseThrow().node(name("x.w.")).first(Type.TXT).rdataToString());
  }
}
