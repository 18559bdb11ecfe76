package dev.namu.server.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ApiTokenTest {

  /** Random bytes that begin with 0xF8, which base64url writes as '-'. */
  private static final class LeadingDash extends SecureRandom {
    @Override
    public void nextBytes(byte[] bytes) {
      java.util.Arrays.fill(bytes, (byte) 0x5a);
      bytes[0] = (byte) 0xf8;
    }
  }

  @Test
  void aFreshTokenNeverBeginsWithADashThatNamuctlWouldReadAsAnOption() {
    String token = ApiToken.fresh(new LeadingDash());
    assertTrue(token.matches("[0-9a-f]{64}"), token);
  }
}
