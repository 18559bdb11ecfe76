package dev.namu.server;

import dev.namu.server.config.InitialZones;
import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.pipeline.QueryProcessor;
import dev.namu.server.pipeline.ReplyCounters;
import dev.namu.zones.registry.ZoneRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

  /** A hermetic namud on a free loopback port serving the test zones, copied into {@code dir}, plus {@code flags}. */
  public static NamudServer serve(Path dir, String... flags) throws IOException {
    List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--zones", copyTo(dir).toString()));
    args.addAll(List.of(flags));
    return Hermetic.start(args.toArray(String[]::new));
  }

  /**
   * The request pipeline over the test zones, copied into {@code dir}, with prepared answers and
   * nothing else (no UPDATE, no recursion): bytes in, the reply the transports would send out.
   */
  public static QueryProcessor pipeline(Path dir, ReplyCounters counters) throws IOException {
    ZoneRegistry registry = new ZoneRegistry(InitialZones.load(Optional.of(copyTo(dir))));
    return NamudServer.processor(registry, NamudServer.zoneLookup(),
        new PreparedAnswers(registry::current, PreparedAnswers.DEFAULT_MAX_BYTES), counters);
  }
}
