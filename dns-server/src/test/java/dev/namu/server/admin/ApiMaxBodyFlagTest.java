package dev.namu.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.namu.server.api.ApiLimits;
import dev.namu.server.config.NamudCommandLine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code namud --api-max-body}, read as namud reads its command line. */
class ApiMaxBodyFlagTest {

  @ParameterizedTest
  @CsvSource({"1k,1024", "512K,524288", "8m,8388608", "1g,1073741824", "2048,2048", "1024,1024"})
  void sizesWithAndWithoutSuffix(String flag, int bytes) {
    assertEquals(bytes, NamudCommandLine.parse("--api-max-body", flag).admin().apiLimits().maxBodyBytes());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1023", "2g", "1025m", "-5m", "lots", "8mb", "", "99999999999999999999"})
  void outOfBoundsOrUnreadableIsOneClearLine(String flag) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NamudCommandLine.parse("--api-max-body", flag));
    assertEquals(true, e.getMessage().startsWith("--api-max-body " + flag + ": "), e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void defaultIsThirtyTwoMegabytes() {
    assertEquals(32 << 20, NamudCommandLine.parse().admin().apiLimits().maxBodyBytes());
    assertEquals(ApiLimits.DEFAULT_MAX_BODY, NamudCommandLine.parse().admin().apiLimits().maxBodyBytes());
  }

  @org.junit.jupiter.api.Test
  void contradictsNoApi() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NamudCommandLine.parse("--no-api", "--api-max-body", "8m"));
    assertEquals("--api-max-body and --no-api contradict each other", e.getMessage());
  }
}
