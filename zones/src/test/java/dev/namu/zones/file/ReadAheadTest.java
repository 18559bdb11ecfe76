package dev.namu.zones.file;

import static dev.namu.zones.TestZones.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.model.ZoneProblem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Parts of a big zone file read ahead on other threads: taken where the state they assumed holds,
 * and the records, lines and problems the same as a reading by one thread.
 */
class ReadAheadTest {

  /** The records with file and line, and the problems, in the order the parser gave them. */
  private static final class Events implements MasterFileParser.Sink {
    final List<String> events = new ArrayList<>();

    @Override
    public void record(Record record, String file, int line) {
      events.add(line + " " + record);
    }

    @Override
    public boolean problem(ZoneProblem problem) {
      events.add("problem " + problem);
      return true;
    }
  }

  private static List<String> read(Path file, Name origin, ReadAhead.Plan plan, long[] readAhead) {
    Events sink = new Events();
    MasterFileParser parser = new MasterFileParser(sink, ZoneFileRules.FILES, true, plan);
    parser.parse(file, origin);
    readAhead[0] = parser.recordsReadAhead();
    return sink.events;
  }

  /** A plain zone of {@code hosts} names in the benchmark's shape, with {@code middle} halfway. */
  private static String zone(int hosts, String middle) {
    StringBuilder sb = new StringBuilder("$ORIGIN big.test.\n$TTL 3600\n@ SOA ns1 host 1 2 3 4 5\n"
        + "@ NS ns1\nns1 A 192.0.2.1\n");
    for (int i = 0; i < hosts; i++) {
      if (i == hosts / 2) {
        sb.append(middle);
      }
      sb.append(String.format("h%06d A 10.%d.%d.%d%n", i, (i >> 16) & 255, (i >> 8) & 255, i & 255));
      if (i % 2 == 0) {
        sb.append(String.format("h%06d AAAA 2001:db8::%x:%x%n", i, i >> 16, i & 0xFFFF));
      }
      if (i % 10 == 3) {
        sb.append(String.format("\tTXT \"host %d; text\"%n", i)).append("\tMX 10 mail\n");
      }
    }
    return sb.toString();
  }

  @Test
  void aPlainFileIsReadInPartsToTheSameRecordsAndLines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("big.test.zone");
    Files.writeString(file, zone(20_000, ""), StandardCharsets.US_ASCII);
    long[] ahead = new long[1];
    List<String> one = read(file, name("big.test."), ReadAhead.Plan.NONE, ahead);
    assertEquals(0, ahead[0]);
    List<String> parts = read(file, name("big.test."), new ReadAhead.Plan(4, 64 * 1024), ahead);
    assertEquals(one, parts);
    // three of the four parts are read by other threads: about three quarters of the records
    assertTrue(ahead[0] > one.size() / 2, "records read ahead: " + ahead[0] + " of " + one.size());
  }

  @Test
  void aPartAfterAChangedOriginOrTtlIsReadAgainByTheParser(@TempDir Path dir) throws Exception {
    for (String middle : new String[] {"$ORIGIN sub.big.test.\n", "$TTL 60\n", "$ORIGIN BIG.test.\n",
        "x CH A 10.0.0.1\n", "bad A 10.0.0.300\n", "y ( A\n 10.0.0.2 )\n"}) {
      Path file = dir.resolve("big.test.zone");
      Files.writeString(file, zone(20_000, middle), StandardCharsets.US_ASCII);
      long[] ahead = new long[1];
      List<String> one = read(file, name("big.test."), ReadAhead.Plan.NONE, ahead);
      List<String> parts = read(file, name("big.test."), new ReadAhead.Plan(4, 64 * 1024), ahead);
      assertEquals(one, parts, middle);
      // the part before the change is still taken
      assertTrue(ahead[0] > 0, middle);
    }
  }

  @Test
  void aReaderStopsAtTheFirstEntryItCannotRead() {
    byte[] text = ("a A 10.0.0.1\n\tAAAA ::1\n; comment\n\nb MX 10 mail\n$TTL 5\nc A 10.0.0.3\n")
        .getBytes(StandardCharsets.US_ASCII);
    ChunkReader.Assumed assumed =
        new ChunkReader.Assumed(name("r.test."), 300, -1, DClass.IN);
    ChunkReader.Result r = ChunkReader.read(text, 0, text.length, assumed, () -> false);
    assertEquals(3, r.count());
    assertEquals(List.of(0, 1, 4), List.of(r.lines()[0], r.lines()[1], r.lines()[2]));
    assertEquals("b.r.test.\t\t300\tIN\tMX\t10 mail.r.test.", r.records()[2].toString());
    assertEquals(5, r.stopLine(), "stops on the line of $TTL");
    assertEquals(new String(text, StandardCharsets.US_ASCII).indexOf("$TTL"), r.stop());

    byte[] blank = "\tA 10.0.0.1\nb A 10.0.0.2\n".getBytes(StandardCharsets.US_ASCII);
    ChunkReader.Result none = ChunkReader.read(blank, 0, blank.length, assumed, () -> false);
    assertEquals(0, none.count(), "a blank owner needs the record before the part");
    assertEquals(0, none.stop());
  }

  @Test
  void anAssumptionHoldsOnlyForTheSameOriginSpellingTtlAndClass() {
    ChunkReader.Assumed a = new ChunkReader.Assumed(name("r.test."), 300, 60, DClass.IN);
    assertTrue(a.holds(name("r.test."), 300, 5, DClass.IN), "the last TTL is not read under a $TTL");
    assertFalse(a.holds(name("R.test."), 300, 60, DClass.IN), "names keep the origin's case");
    assertFalse(a.holds(name("s.test."), 300, 60, DClass.IN));
    assertFalse(a.holds(name("r.test."), 301, 60, DClass.IN));
    assertFalse(a.holds(name("r.test."), 300, 60, DClass.CH));
    ChunkReader.Assumed noTtl = new ChunkReader.Assumed(name("r.test."), -1, 60, DClass.IN);
    assertTrue(noTtl.holds(name("r.test."), -1, 60, DClass.IN));
    assertFalse(noTtl.holds(name("r.test."), -1, 61, DClass.IN), "without $TTL the last TTL counts");
  }

  /** Through the loader namud uses: a zone file big enough to be read in parts by default. */
  @Test
  void theLoaderReadsABigZoneFileAsOneThreadDoes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("big.test.zone");
    Files.writeString(file, zone(120_000, "mail A 192.0.2.25\n"), StandardCharsets.US_ASCII);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.size(file) >= 2L * ReadAhead.Plan.perProcessor().minPartBytes()
            && ReadAhead.Plan.perProcessor().parts() > 1,
        "one processor: namud reads zone files with one thread here");
    ZoneLoad load = new ZoneFileLoader().load(file, name("big.test."));
    assertTrue(load.ok(), () -> load.problems().subList(0, Math.min(5, load.problems().size())).toString());
    Events sink = new Events();
    new MasterFileParser(sink, ZoneFileRules.FILES, false).parse(file, name("big.test."));
    List<String> expected = sink.events.stream().map(e -> e.substring(e.indexOf(' ') + 1))
        .sorted().collect(Collectors.toList());
    List<String> loaded = load.zone().orElseThrow().records().stream().map(Record::toString)
        .sorted().collect(Collectors.toList());
    assertEquals(expected.size(), loaded.size());
    assertEquals(expected, loaded);
  }
}
