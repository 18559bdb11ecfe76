package dev.namu.zones.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneProblemTest {
  @Test
  void printsFileLineMessage() {
    assertEquals("zones/a.zone:12: bad thing", new ZoneProblem("zones/a.zone", 12, "bad thing").toString());
  }

  @Test
  void exceptionCarriesProblems() {
    ZoneValidationException e = new ZoneValidationException(
        List.of(new ZoneProblem("f", 1, "a"), new ZoneProblem("f", 2, "b")));
    assertEquals(2, e.problems().size());
    assertEquals("f:1: a (and 1 more problems)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ZoneValidationException(List.of()));
  }
}
