package dev.namu.resolver.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class ReplayRunnerTest {

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ReplayRunnerTest.class.getResource("/replay/" + name).toURI());
  }

  @Test
  void parsesConfigRangesAndSteps() throws Exception {
    Scenario s = ScenarioParser.parse(resource("namu_basic.rpl"));
    assertEquals("no", s.option("qname-minimisation", "yes"));
    assertEquals(".", s.stubZones().get(0).name());
    assertEquals(List.of("10.0.0.1"), s.stubZones().get(0).addresses());
    assertEquals(4, s.ranges().size());
    assertEquals(3, s.ranges().get(2).entries().size());
    assertEquals(15, s.steps().size());
    assertEquals(20.0, s.steps().get(6).elapse());
    assertEquals(Name.fromString("www.leaf.test."), s.steps().get(0).entry().packet().getQuestion().getName());
  }

  @Test
  void basicScenarioPasses() throws Exception {
    ReplayResult r = ReplayRunner.run(resource("namu_basic.rpl"));
    assertTrue(r.passed(), r.reason());
    assertEquals(6, r.checks());
  }

  @Test
  void wrongExpectationFailsWithReason() throws Exception {
    ReplayResult r = ReplayRunner.run(resource("namu_wrong_answer.rpl"));
    assertFalse(r.passed());
    assertTrue(r.reason().startsWith("STEP 2 CHECK_ANSWER: answer differs"), r.reason());
    assertTrue(r.reason().contains("192.0.2.81"), r.reason());
  }

  @Test
  void recordsWhoseRdataDoesNotFitTheirTypeGoOnTheWireAndAreDropped() throws Exception {
    Scenario s = ScenarioParser.parse(resource("namu_malformed_rdata.rpl"));
    Entry www = s.ranges().get(1).entries().get(0);
    assertEquals(3, www.packet().getSection(org.xbill.DNS.Section.ANSWER).size());
    assertTrue(www.hex() != null, "the entry's wire form carries the A record of three bytes");
    ReplayResult r = ReplayRunner.run(s);
    assertTrue(r.passed(), r.reason());
    assertEquals(2, r.checks());
  }

  @Test
  void unreadableFileIsReportedNotThrown() {
    ReplayResult r = ReplayRunner.run(Path.of("does-not-exist.rpl"));
    assertFalse(r.passed());
    assertTrue(r.reason().startsWith("parse error"), r.reason());
  }
}
