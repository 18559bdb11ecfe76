package dev.namu.zones;

import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/** Test zones from text, parsed with dnsjava's own Master (independent of our parser). */
public final class TestZones {
  private TestZones() {}

  public static Name name(String s) {
    try {
      return Name.fromString(s, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static List<Record> records(String origin, String text) {
    List<Record> out = new ArrayList<>();
    try (Master m = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        name(origin), 300)) {
      Record r;
      while ((r = m.nextRecord()) != null) {
        out.add(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static ZoneSnapshot zone(String origin, String text) {
    try {
      return ZoneSnapshot.build(name(origin), records(origin, text));
    } catch (ZoneValidationException e) {
      throw new AssertionError("test zone invalid: " + e.problems(), e);
    }
  }

  /** A directory or file under src/test/resources/zones. */
  public static Path resource(String relative) {
    try {
      return Path.of(TestZones.class.getResource("/zones/" + relative).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("no test resource zones/" + relative, e);
    }
  }
}
