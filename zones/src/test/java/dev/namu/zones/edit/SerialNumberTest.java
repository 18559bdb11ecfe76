package dev.namu.zones.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SerialNumberTest {
  @Test
  void nextWrapsAt2To32() {
    assertEquals(1, SerialNumber.next(0));
    assertEquals(0, SerialNumber.next(4294967295L));
  }

  @Test
  void comparisonFollowsRfc1982() {
    assertTrue(SerialNumber.isNewer(2, 1));
    assertFalse(SerialNumber.isNewer(1, 2));
    assertFalse(SerialNumber.isNewer(5, 5));
    // wrapped: 0 is newer than 2^32-1, and 100 newer than 2^32-100
    assertTrue(SerialNumber.isNewer(0, 4294967295L));
    assertTrue(SerialNumber.isNewer(100, 4294967196L));
    assertFalse(SerialNumber.isNewer(4294967295L, 0));
    // exactly half apart is undefined (RFC 1982 3.2): never newer either way
    assertFalse(SerialNumber.isNewer(1L << 31, 0));
    assertFalse(SerialNumber.isNewer(0, 1L << 31));
    assertThrows(IllegalArgumentException.class, () -> SerialNumber.isNewer(-1, 0));
  }

  @Test
  void advanceTakesARequestedSerialOnlyWhenNewer() {
    assertEquals(11, SerialNumber.advance(10, -1));
    assertEquals(2026010101L, SerialNumber.advance(10, 2026010101L));
    assertEquals(11, SerialNumber.advance(10, 5));
    assertEquals(0, SerialNumber.advance(4294967295L, -1));
  }
}
