package dev.namu.resolver.replay;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * A parsed .rpl scenario: Unbound-style configuration options, scripted upstream servers
 * (ranges) and the timed steps.
 */
record Scenario(String name, String title, Map<String, List<String>> server, List<Zone> stubZones,
    List<Zone> forwardZones, List<Range> ranges, List<Step> steps) {

  /** A stub-zone or forward-zone block. */
  record Zone(String name, List<String> addresses, Map<String, String> options) {}

  /** RANGE_BEGIN a b: a scripted server valid for steps a..b (address null: any). */
  record Range(int start, int end, InetAddress address, List<Entry> entries) {}

  /** STEP n TYPE [ELAPSE s] with its entry, if any. */
  record Step(int number, String type, double elapse, InetAddress address, Entry entry, int line) {}

  /** The first value of a server: option, unquoted, or {@code dflt}. */
  String option(String key, String dflt) {
    List<String> v = server.get(key);
    return v == null || v.isEmpty() ? dflt : v.get(0);
  }
}
