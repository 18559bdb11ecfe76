package dev.namu.server.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The bearer token of the admin API, kept in {@code DATA/api-token} with mode 0600 so only the
 * server's user (and root) can read it; created on first start. namuctl reads the same file.
 */
public final class ApiToken {

  public static final String FILE_NAME = "api-token";

  private final byte[] token;

  private ApiToken(String token) {
    this.token = token.getBytes(StandardCharsets.US_ASCII);
  }

  /** A token given as such (tests). */
  static ApiToken of(String token) {
    return new ApiToken(token);
  }

  /**
   * A new random token: 32 bytes in hex. Not base64url: one token in 64 would begin with '-', and
   * {@code namuctl --token -x...} reads that as an option.
   */
  static String fresh(SecureRandom random) {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    return java.util.HexFormat.of().formatHex(raw);
  }

  /** Reads the token file in {@code dataDir}, creating it (and the directory) when missing. */
  public static ApiToken loadOrCreate(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      String fresh = fresh(new SecureRandom());
      Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
      try {
        // Created with 0600 from the start: never readable by others, not even for a moment.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(owner));
        Files.writeString(file, fresh + "\n", StandardOpenOption.TRUNCATE_EXISTING);
      } catch (FileAlreadyExistsException raced) {
        // another process created it first: use theirs
      }
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    if (text.length() < 16) {
      throw new IOException("API token file " + file + " is empty or too short; delete it to get a new one");
    }
    return new ApiToken(text);
  }

  /** Constant-time comparison, so response timing does not leak how much of a guess was right. */
  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "ApiToken[hidden]";
  }
}
