package dev.namu.server.config;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code --log-level} to logback's root logger. */
public final class LogLevels {
  private LogLevels() {}

  /** Puts the root level back as it was. */
  public interface Restore extends AutoCloseable {
    @Override
    void close();
  }

  public static void applyRoot(String level) {
    Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger logback) {
      logback.setLevel(Level.toLevel(level, Level.INFO));
    }
  }

  /** Turns the log off until the returned {@link Restore} is closed. */
  public static Restore silenced() {
    Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger logback) {
      Level before = logback.getLevel();
      logback.setLevel(Level.OFF);
      return () -> logback.setLevel(before);
    }
    return () -> {};
  }
}
