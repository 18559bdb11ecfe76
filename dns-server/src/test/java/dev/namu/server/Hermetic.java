package dev.namu.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Flags that keep a test's namud to itself: no admin API on its fixed port, no recursion (which
 * would send queries to the IANA roots), and a zone store in a fresh temporary directory instead
 * of ./data shared with every other server.
 */
public final class Hermetic {
  private Hermetic() {}

  public static String[] args(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    try {
      all.addAll(List.of("--no-api", "--no-metrics", "--no-recursion", "--data", Files.createTempDirectory("namud-data").toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.toArray(String[]::new);
  }

  public static NamudServer start(String... args) {
    return NamudServer.start(args(args));
  }
}
