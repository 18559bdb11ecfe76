package dev.namu.zones.store.jdbc;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to reach the store's database. The default is an H2 file {@code namu.mv.db} in the data directory;
 * any JDBC URL whose driver is on the class path works the same way (PostgreSQL, for a shared store).
 */
public record JdbcStoreConfig(String url, String user, String password, int maxPoolSize) {

  /** Pool size: edits are serialized per zone, so a few connections serve many zones. */
  public static final int DEFAULT_POOL_SIZE = 4;

  public JdbcStoreConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (!url.startsWith("jdbc:")) {
      throw new IllegalArgumentException("not a JDBC URL: " + url);
    }
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("pool size must be at least 1: " + maxPoolSize);
    }
  }

  /**
   * The embedded H2 database in {@code dataDir}. WRITE_DELAY=0 makes H2 write every commit to the file
   * before the commit returns (its default of 500 ms would let a process kill lose acknowledged edits);
   * the OS may still cache it, so a power cut can lose what a kill cannot.
   */
  public static JdbcStoreConfig h2(Path dataDir) {
    Path base = dataDir.toAbsolutePath().normalize().resolve("namu");
    return new JdbcStoreConfig("jdbc:h2:file:" + base + ";WRITE_DELAY=0", "sa", "", DEFAULT_POOL_SIZE);
  }

  /** An H2 database in memory, gone when the last connection closes; for tests. */
  public static JdbcStoreConfig h2InMemory(String name) {
    return new JdbcStoreConfig("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "", DEFAULT_POOL_SIZE);
  }

  /** The URL to show in a log or an error: a password in it (PostgreSQL's {@code password=}) masked. */
  public String shownUrl() {
    return shown(url);
  }

  /** {@code url} with the value of any {@code password=} parameter replaced by {@code ***}. */
  public static String shown(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  @Override
  public String toString() {
    return "JdbcStoreConfig[" + shownUrl() + " user=" + user + "]";
  }
}
