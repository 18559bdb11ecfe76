package dev.namu.zones.lookup;

import static dev.namu.zones.TestZones.name;
import static dev.namu.zones.TestZones.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.file.ZoneDirectory;
import dev.namu.zones.file.ZoneDirectoryLoad;
import dev.namu.zones.registry.ZoneSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Every lookup rule of RFC 1034 4.3.2 and its updates, as a table of questions and expected
 * answers (src/test/resources/lookup/answers.txt) over the shared test zones. The expected
 * blocks were checked against NSD and Knot serving the same zone files.
 */
class AnswersGoldenTest {

  @TestFactory
  Stream<DynamicTest> answersMatchTheTable() throws IOException {
    ZoneDirectoryLoad load = ZoneDirectory.loadAll(resource("good"));
    assertEquals(List.of(), load.problems());
    ZoneSet zones = ZoneSet.of(load.zones());
    AuthoritativeAnswerer answerer = new AuthoritativeAnswerer();
    Map<String, List<String>> expected = table();
    assertTrue(expected.size() > 50, "table too small: " + expected.size());
    return expected.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
      String[] q = e.getKey().split(" ");
      Optional<AuthoritativeAnswer> a = answerer.answer(zones, name(q[0]), Type.value(q[1]));
      assertEquals(e.getValue(), render(a), e.getKey());
    }));
  }

  static List<String> render(Optional<AuthoritativeAnswer> answer) {
    if (answer.isEmpty()) {
      return List.of("REFUSED");
    }
    AuthoritativeAnswer a = answer.get();
    List<String> out = new ArrayList<>();
    out.add(Rcode.string(a.rcode()) + (a.authoritative() ? " aa" : ""));
    section(out, "ANSWER", a.answer());
    section(out, "AUTHORITY", a.authority());
    section(out, "ADDITIONAL", a.additional());
    return out;
  }

  private static void section(List<String> out, String label, List<RRset> sets) {
    List<String> lines = new ArrayList<>();
    for (RRset s : sets) {
      for (Record r : s.rrs(false)) {
        lines.add((label + " " + r.getName().toString().toLowerCase() + " " + s.getTTL() + " "
            + Type.string(r.getType()) + " " + r.rdataToString()).trim());
      }
    }
    Collections.sort(lines);
    out.addAll(lines);
  }

  private static Map<String, List<String>> table() throws IOException {
    Map<String, List<String>> blocks = new LinkedHashMap<>();
    try (InputStream in = AnswersGoldenTest.class.getResourceAsStream("/lookup/answers.txt")) {
      List<String> current = null;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("== ")) {
          current = new ArrayList<>();
          blocks.put(line.substring(3).trim(), current);
        } else if (!line.isBlank() && !line.startsWith("#") && current != null) {
          current.add(line.trim());
        }
      }
    }
    return blocks;
  }
}
