package dev.namu.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies the test zone files from the class path into a directory for {@code --zones}. */
public final class TestZones {
  public static final String[] FILES = {"example.test.zone"};

  private TestZones() {}

  public static Path copyTo(Path dir) throws IOException {
    for (String f : FILES) {
      try (InputStream in = TestZones.class.getResourceAsStream("/zones/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
    return dir;
  }
}
