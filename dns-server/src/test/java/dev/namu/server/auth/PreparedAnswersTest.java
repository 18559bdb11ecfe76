package dev.namu.server.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.intake.QuestionKey;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.registry.ZoneSet;
import org.junit.jupiter.api.Test;

/** The byte bound and the generations of the prepared-answer store. */
class PreparedAnswersTest {

  private static QuestionKey key(int i) {
    byte[] name = {3, (byte) ('a' + i % 26), (byte) ('a' + i / 26 % 26), (byte) ('a' + i / 676 % 26), 0};
    return new QuestionKey(name, 1, 1, false, false);
  }

  @Test
  void storedRepliesAreFoundOnlyForTheirZoneSet() {
    ZoneRegistry registry = new ZoneRegistry();
    PreparedAnswers prepared = new PreparedAnswers(registry::current, 1 << 20);
    ZoneSet first = registry.current();
    byte[] reply = new byte[40];
    prepared.store(first, key(1), reply);
    assertArrayEquals(reply, prepared.find(first, key(1)));
    assertNull(prepared.find(first, key(2)));
    registry.publish(ZoneSet.of(LocalZones.notCoveredBy(ZoneSet.empty())));
    assertNull(prepared.find(registry.current(), key(1)), "a new zone set starts empty");
    prepared.store(registry.current(), key(2), reply);
    assertArrayEquals(reply, prepared.find(registry.current(), key(2)));
    assertNull(prepared.find(first, key(1)), "the old generation is gone");
    // an answer built from the old set never lands in the new generation
    prepared.store(first, key(3), reply);
    assertNull(prepared.find(first, key(3)));
    assertNull(prepared.find(registry.current(), key(3)));
    assertEquals(1, prepared.size());
  }

  @Test
  void theByteBoundIsNeverPassedAndTheStoreStartsOverWhenFull() {
    ZoneRegistry registry = new ZoneRegistry();
    long max = 10_000;
    PreparedAnswers prepared = new PreparedAnswers(registry::current, max);
    ZoneSet zones = registry.current();
    byte[] reply = new byte[100];
    // each entry costs 100 + 5 + 96 bytes: 49 fit in 10,000
    long most = 0;
    for (int i = 0; i < 500; i++) {
      prepared.store(zones, key(i), reply);
      most = Math.max(most, prepared.size());
      assertTrue(prepared.size() * (100 + 5 + 96) <= max, "over the bound at " + i);
    }
    assertEquals(49, most);
    // after starting over, new answers are kept and served again
    prepared.store(zones, key(7000), reply);
    prepared.store(zones, key(7000), reply); // the first may have been the one that started over
    assertArrayEquals(reply, prepared.find(zones, key(7000)));
  }
}
