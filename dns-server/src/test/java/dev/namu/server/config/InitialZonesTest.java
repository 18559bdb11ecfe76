package dev.namu.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.namu.zones.registry.ZoneSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

class InitialZonesTest {
  /** A zone that loads: SOA, NS and the name server's address; tests add records after it. */
  static final String ZONE = "$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.1\n";

  @TempDir Path dir;

  @Test
  void badZoneIsReportedWithFileAndLineAndSkipped() throws IOException {
    Files.writeString(dir.resolve("good.test.zone"), ZONE);
    Files.writeString(dir.resolve("bad.test.zone"), ZONE + "www A not-an-address\n");
    List<String> warnings = new ArrayList<>();
    ZoneSet zones = loadLoggingWarnings(warnings);
    assertNotNull(zones.findZone(Name.fromConstantString("www.good.test.")));
    assertNull(zones.findZone(Name.fromConstantString("www.bad.test.")));
    assertWarned(warnings, ".*bad\\.test\\.zone:5: .+", "file:line: message for the bad record");
  }

  @Test
  void aFileThatNeverEndsOrExpandsWithoutBoundIsOneProblemAtOnce() throws IOException {
    Files.writeString(dir.resolve("good.test.zone"), ZONE);
    Files.writeString(dir.resolve("dev.test.zone"), ZONE + "$INCLUDE /dev/zero\n");
    Files.writeString(dir.resolve("gen.test.zone"), ZONE + "$GENERATE 0-9999999 h$ A 192.0.2.2\n");
    List<String> warnings = new ArrayList<>();
    // /dev/zero read to its end, or ten million records, would take minutes and the heap
    ZoneSet zones = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> loadLoggingWarnings(warnings));
    assertNotNull(zones.findZone(Name.fromConstantString("www.good.test.")));
    assertNull(zones.findZone(Name.fromConstantString("www.dev.test.")));
    assertNull(zones.findZone(Name.fromConstantString("www.gen.test.")));
    assertWarned(warnings, ".*dev\\.test\\.zone:5: cannot read \\$INCLUDE file /dev/zero: not a regular file.*",
        "the $INCLUDE refused");
    assertWarned(warnings, ".*gen\\.test\\.zone:5: \\$GENERATE range 0-9999999 would make 10000000 records; one"
        + " \\$GENERATE may make at most 1048576.*", "the $GENERATE refused");
  }

  @Test
  void aZoneThatLoadsWithWarningsIsServedAndTheWarningsAreLogged() throws IOException {
    Files.writeString(dir.resolve("warn.test.zone"), ZONE + "www 300 A 192.0.2.2\nwww 600 A 192.0.2.3\n");
    List<String> warnings = new ArrayList<>();
    ZoneSet zones = loadLoggingWarnings(warnings);
    assertNotNull(zones.findZone(Name.fromConstantString("www.warn.test.")));
    assertWarned(warnings, ".*warn\\.test\\.zone:6: .*TTL.*loads anyway.*", "file:line of the differing TTL");
  }

  @Test
  void loopbackZonesAreAddedUnlessTheUserServesThem() throws IOException {
    ZoneSet none = InitialZones.load(Optional.of(dir));
    assertEquals(3, none.zones().size(), "localhost, 127.in-addr.arpa and the ::1 reverse zone");
    Files.writeString(
        dir.resolve("localhost.zone"),
        "$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n@ A 127.0.0.2\n");
    ZoneSet own = InitialZones.load(Optional.of(dir));
    assertEquals(3, own.zones().size());
    assertEquals(1, own.findZone(Name.fromConstantString("localhost.")).serial());
    assertEquals(
        4,
        own.findZone(Name.fromConstantString("localhost.")).records().size(),
        "the user's localhost zone, not ours");
  }

  @Test
  void missingDirectoryIsAClearError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> InitialZones.load(Optional.of(dir.resolve("no"))));
    assertTrue(e.getMessage().endsWith("does not exist"), e.getMessage());
  }

  /** Loads the zone directory, putting what InitialZones logged at WARN into {@code warnings}. */
  private static void assertWarned(List<String> warnings, String regex, String what) {
    assertTrue(warnings.stream().anyMatch(m -> m.matches(regex)), what + ", got " + warnings);
  }

  private ZoneSet loadLoggingWarnings(List<String> warnings) {
    Logger logger = (Logger) LoggerFactory.getLogger(InitialZones.class);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    logger.addAppender(captured);
    try {
      return InitialZones.load(Optional.of(dir));
    } finally {
      logger.detachAppender(captured);
      captured.list.stream()
          .filter(e -> e.getLevel().toString().equals("WARN"))
          .map(ILoggingEvent::getFormattedMessage)
          .forEach(warnings::add);
    }
  }
}
