package dev.namu.cli.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.cli.Run;
import dev.namu.zones.file.ZoneFileBytes;
import dev.namu.zones.file.ZoneFileRules;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZoneCheckCommandTest {

  static Run inProcess(String... args) {
    return Run.inProcess(args);
  }

  /** namuctl as a separate JVM, the way a user or script runs it. */
  static Run asProcess(String... args) throws IOException, InterruptedException {
    return Run.asProcess(Map.of(), Path.of("").toAbsolutePath(), args);
  }

  static Path resource(String name) {
    try {
      return Path.of(ZoneCheckCommandTest.class.getResource("/zones/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void goodZoneExitsZeroWithSummary() {
    Run r = inProcess("zone", "check", resource("home.lan.zone").toString());
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().startsWith("zone home.lan. is ok: serial 2026010101, "), r::toString);
    assertEquals("", r.err());
  }

  @Test
  void badZonePrintsEachProblemWithFileAndLineThenExitsOne() {
    Path file = resource("syntax.test.zone");
    Run r = inProcess("zone", "check", file.toString());
    assertEquals(1, r.code(), r::toString);
    String[] lines = r.out().split("\n");
    assertEquals(6, lines.length, r::toString);
    int[] expectedLines = {5, 6, 8, 9, 10};
    for (int i = 0; i < 5; i++) {
      assertTrue(lines[i].startsWith(file + ":" + expectedLines[i] + ": "), lines[i]);
    }
    assertEquals("zone syntax.test. has 5 problems; namud would not serve it", lines[5]);
  }

  /**
   * RFC 4034 3: an RRSIG's TTL is that of the RRset it covers, so the RRSIGs at one name differ in
   * TTL when their RRsets do, as in every signed zone: nothing to warn about.
   */
  @Test
  void signaturesOfRrsetsWithDifferentTtlsAtOneNameAreNoWarning(@TempDir Path dir) throws IOException {
    String sig = " 13 2 %d 20461130180930 20261205180930 4242 signed.test. AAAAAAAAAAAAAAAAAAAA\n";
    Path f = Files.writeString(dir.resolve("signed.test.zone"),
        "$TTL 3600\n@ SOA ns h 1 2 3 4 5\n NS ns\nns A 10.0.0.1\nns 600 TXT \"x\"\n"
            + "ns RRSIG A" + String.format(sig, 3600) + "ns 600 RRSIG TXT" + String.format(sig, 600));
    Run r = inProcess("zone", "check", f.toString());
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().startsWith("zone signed.test. is ok: serial 1, "), r::toString);
    assertEquals("", r.err(), r::toString);
  }

  @Test
  void validationProblemsAreInFileOrder(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("v.test.zone"),
        "$TTL 1\n@ SOA ns h 1 2 3 4 5\n NS ns\nns A 10.0.0.1\nz CNAME ns\nz TXT \"x\"\n"
            + "out.example. A 10.0.0.1\nsub NS ns.sub\n");
    Run r = inProcess("zone", "check", f.toString());
    assertEquals(1, r.code());
    String[] lines = r.out().split("\n");
    assertTrue(lines[0].startsWith(f + ":5: "), r::toString);
    assertTrue(lines[1].startsWith(f + ":7: "), r::toString);
    assertTrue(lines[2].startsWith(f + ":8: "), r::toString);
  }

  @Test
  void originOptionOverridesTheFileName(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("anything.txt"),
        "$TTL 1\n@ SOA ns h 7 2 3 4 5\n NS ns\nns A 10.0.0.1\n");
    Run r = inProcess("zone", "check", "--origin", "example.org", f.toString());
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().startsWith("zone example.org. is ok: serial 7"), r::toString);
    Run noOrigin = inProcess("zone", "check", f.toString());
    assertEquals(2, noOrigin.code());
    assertTrue(noOrigin.err().contains("give --origin NAME"), noOrigin::toString);
  }

  @Test
  void missingFileIsAProblemNotACrash(@TempDir Path dir) {
    Path f = dir.resolve("gone.zone");
    Run r = inProcess("zone", "check", f.toString());
    assertEquals(1, r.code());
    assertTrue(r.out().startsWith(f + ":0: cannot read zone file: no such file"), r::toString);
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, inProcess().code());
    assertEquals(2, inProcess("zone").code());
    assertEquals(2, inProcess("zone", "check").code());
    assertEquals(2, inProcess("zone", "check", "--bogus", "x.zone").code());
    assertEquals(2, inProcess("zone", "check", "--origin", "a..b", "x.zone").code());
    assertEquals(2, inProcess("nosuch").code());
    Run help = inProcess("zone", "check", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("Usage: namuctl zone check"), help::toString);
  }

  @Test
  void runsAsARealProcess() throws Exception {
    Run good = asProcess("zone", "check", resource("home.lan.zone").toString());
    assertEquals(0, good.code(), good::toString);
    assertTrue(good.out().contains("zone home.lan. is ok"), good::toString);
    Path bad = resource("syntax.test.zone");
    Run r = asProcess("zone", "check", bad.toString());
    assertEquals(1, r.code(), r::toString);
    assertTrue(r.out().contains(bad + ":5: "), r::toString);
    assertTrue(r.err().isEmpty(), r::toString);
    Run usage = asProcess("zone", "check");
    assertEquals(2, usage.code(), usage::toString);
    assertTrue(usage.err().contains("Missing required parameter: 'FILE'"), usage::toString);
  }

  @Test
  void warningsArePrintedButTheZoneIsGood(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("w.test.zone"),
        "$TTL 300\n@ SOA ns h 1 2 3 4 5\n NS ns\n MX 10 mail\nns A 10.0.0.1\n"
            + "mail CNAME ns\nt 100 A 10.0.0.2\nt 200 A 10.0.0.3\n");
    Run r = inProcess("zone", "check", f.toString());
    assertEquals(0, r.code(), r::toString);
    String[] lines = r.out().split("\n");
    assertEquals(3, lines.length, r::toString);
    assertTrue(lines[0].startsWith(f + ":4: warning: ") && lines[0].contains("RFC 2181 10.3"), r::toString);
    assertTrue(lines[1].startsWith(f + ":8: warning: ") && lines[1].contains("RFC 2181 5.2"), r::toString);
    assertTrue(lines[2].endsWith("(2 warnings)"), r::toString);
  }

  // ---- files that are no zone files: one line at once, never a read without end

  static final String NOT_REGULAR =
      "cannot read zone file: not a regular file (a device or a FIFO); a zone file must be a regular file";

  static Run checkWithin30s(String... args) {
    return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> inProcess(args), "namuctl did not answer");
  }

  @Test
  void aDeviceIsRefusedInOneLine() {
    for (String[] args : new String[][] {
        {"zone", "check", "--origin", "zero.test", "/dev/zero"}, {"zone", "check", "/dev/zero"},
        {"zone", "check", "--for-import", "/dev/zero"}}) {
      Run r = checkWithin30s(args);
      assertEquals(1, r.code(), r::toString);
      assertEquals("/dev/zero:0: " + NOT_REGULAR + "\n", r.out(), r::toString);
      assertEquals("", r.err(), r::toString);
    }
  }

  @Test
  void aFifoIsRefusedWithoutOpeningIt(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("pipe.test.zone");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mkfifo.waitFor(), "mkfifo");
    // opening a FIFO to read waits for a writer, so a check that opened it would never return
    Run r = checkWithin30s("zone", "check", fifo.toString());
    assertEquals(1, r.code(), r::toString);
    assertEquals(fifo + ":0: " + NOT_REGULAR + "\n", r.out(), r::toString);
    // the same for a FIFO named by $INCLUDE: the loader namud runs on --zones files
    Path main = Files.writeString(dir.resolve("inc.test.zone"),
        "$TTL 300\n@ SOA ns h 1 2 3 4 5\n NS ns\nns A 10.0.0.1\n$INCLUDE " + fifo + "\n"
            + "$INCLUDE /dev/zero\n");
    Run inc = checkWithin30s("zone", "check", main.toString());
    assertEquals(1, inc.code(), inc::toString);
    String[] lines = inc.out().split("\n");
    assertEquals(main + ":5: cannot read $INCLUDE file " + fifo + ": not a regular file (a device or a FIFO);"
        + " a zone file must be a regular file", lines[0], inc::toString);
    assertEquals(main + ":6: cannot read $INCLUDE file /dev/zero: not a regular file (a device or a FIFO);"
        + " a zone file must be a regular file", lines[1], inc::toString);
  }

  @Test
  void aFileOverTheBoundIsRefusedUnread(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big.test.zone");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(ZoneFileBytes.MAX_BYTES + 1); // sparse: no disk used, nothing to read but zeros
    }
    Run r = checkWithin30s("zone", "check", big.toString());
    assertEquals(1, r.code(), r::toString);
    assertEquals(big + ":0: cannot read zone file: the file is " + (ZoneFileBytes.MAX_BYTES + 1)
        + " bytes; zone files are read up to " + ZoneFileBytes.MAX_BYTES + " bytes (1 GiB)\n", r.out(), r::toString);
  }

  // ---- bounds on what a file makes

  static final String ZONE = "$TTL 300\n@ SOA ns h 1 2 3 4 5\n NS ns\nns A 10.0.0.1\n";

  @Test
  void aGenerateRangeOverTheBoundIsOneProblemAtOnce(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("gen.test.zone"), ZONE + "$GENERATE 0-9999999 h$ A 10.0.0.1\n");
    Run r = checkWithin30s("zone", "check", f.toString());
    assertEquals(1, r.code(), r::toString);
    assertTrue(r.out().startsWith(f + ":5: $GENERATE range 0-9999999 would make 10000000 records;"
        + " one $GENERATE may make at most " + ZoneFileRules.FILE_MAX_GENERATE_RECORDS + "\n"), r::toString);
    Run forImport = checkWithin30s("zone", "check", "--for-import", f.toString());
    assertTrue(forImport.out().startsWith(f + ":5: $GENERATE range 0-9999999 would make 10000000 records;"
        + " one $GENERATE may make at most " + ZoneFileRules.IMPORT_MAX_RECORDS + "\n"), forImport::toString);
  }

  @Test
  void recordDataLongerThanARecordHoldsIsAProblemOnItsLine(@TempDir Path dir) throws IOException {
    String string = "\"" + "x".repeat(255) + "\" ";
    Path f = Files.writeString(dir.resolve("txt.test.zone"), ZONE
        + "ok TXT " + string.repeat(255) + "\n" // 65,280 bytes: fits
        + "big TXT " + string.repeat(257) + "\n"); // 65,792 bytes: does not
    Run r = checkWithin30s("zone", "check", f.toString());
    assertEquals(1, r.code(), r::toString);
    assertEquals(List.of(f + ":6: big.txt.test. TXT: record data is 65792 bytes, more than a record holds"
        + " (65535, RFC 1035 3.2.1)", "zone txt.test. has 1 problem; namud would not serve it"),
        List.of(r.out().split("\n")), r::toString);
  }

  // ---- --for-import: what zone import would send and namud say

  @Test
  void forImportTakesTheZoneNameFromTheFile(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("db.example"),
        "$ORIGIN example.com.\n" + ZONE + "www A 10.0.0.2\n");
    Run r = inProcess("zone", "check", "--for-import", f.toString());
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().startsWith("zone example.com. is ok: serial 1, 4 records"), r::toString);
    Path soa = Files.writeString(dir.resolve("other.zone"),
        "$TTL 300\nexample.org. SOA ns.example.org. h 1 2 3 4 5\nexample.org. NS ns.example.org.\n"
            + "ns.example.org. A 10.0.0.1\n");
    Run bySoa = inProcess("zone", "check", "--for-import", soa.toString());
    assertTrue(bySoa.out().startsWith("zone example.org. is ok"), bySoa::toString);
    Run named = inProcess("zone", "check", "--for-import", "--origin", "example.net",
        Files.writeString(dir.resolve("plain.txt"), ZONE).toString());
    assertTrue(named.out().startsWith("zone example.net. is ok"), named::toString);
    Run none = inProcess("zone", "check", "--for-import", dir.resolve("plain.txt").toString());
    assertEquals(2, none.code(), none::toString);
    assertTrue(none.err().contains("it has no $ORIGIN or SOA record and is not named NAME.zone; give --origin NAME"),
        none::toString);
  }

  @Test
  void forImportRefusesIncludeWithoutReadingIt(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("pipe");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
    Path f = Files.writeString(dir.resolve("inc.test.zone"), ZONE + "( $include " + fifo + " )\n");
    Run r = checkWithin30s("zone", "check", "--for-import", f.toString());
    assertEquals(1, r.code(), r::toString);
    assertEquals(List.of(f + ":5: " + ZoneFileRules.INCLUDE_REFUSED,
        "zone inc.test. has 1 problem; namud would not serve it"), List.of(r.out().split("\n")), r::toString);
  }

  @Test
  void importOfAFileThatIsNoneIsOneLineBeforeAnyRequest() {
    // the server named is closed: the file is refused before namuctl would try it
    for (String[] origin : new String[][] {{"--origin", "zero.test"}, {}}) {
      List<String> args = new ArrayList<>(List.of("zone", "import", "--server", "http://127.0.0.1:9", "--token", "t"));
      args.addAll(List.of(origin));
      args.add("/dev/zero");
      Run r = checkWithin30s(args.toArray(String[]::new));
      assertEquals(1, r.code(), r::toString);
      assertEquals("namuctl: cannot read /dev/zero: not a regular file (a device or a FIFO);"
          + " a zone file must be a regular file\n", r.err(), r::toString);
    }
  }
}
