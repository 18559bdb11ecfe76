package dev.namu.server.config;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code --log-level} to logback's root logger. */
public final class LogLevels {
  private LogLevels() {}

  public static void applyRoot(String level) {
    Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger logback) {
      logback.setLevel(Level.toLevel(level, Level.INFO));
    }
  }
}
