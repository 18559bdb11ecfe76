package dev.namu.server.config;

import dev.namu.server.transfer.TransferAcl;
import dev.namu.server.views.ViewConfig;
import dev.namu.server.views.ViewDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** namud's flag for split horizon, mixed into its command line. */
public final class ViewOptions {
  @Option(names = "--view", paramLabel = "NAME=KEY|CIDR[,...]",
      description = "A view of split horizon: the clients it matches, by address or CIDR range and by TSIG"
          + " key name; repeatable, the first view that matches a client is its view. A view's records"
          + " (namuctl record add --view NAME) replace the zone's RRsets of the same name and type for"
          + " its clients. Default: none.")
  List<String> views;

  /** @throws IllegalArgumentException with a one-line message for a bad value */
  public ViewConfig toConfig() {
    if (views == null || views.isEmpty()) {
      return ViewConfig.NONE;
    }
    // a name given again adds to its view: the config file gives one flag for each entry
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (String v : views) {
      int eq = v.indexOf('=');
      if (eq <= 0 || eq == v.length() - 1) {
        throw new IllegalArgumentException("--view " + v + ": expected NAME=KEY|CIDR[,...], e.g. inside=192.168.0.0/16");
      }
      List<String> entries = byName.computeIfAbsent(v.substring(0, eq).trim(), n -> new ArrayList<>());
      for (String entry : v.substring(eq + 1).split(",")) {
        String e = entry.trim();
        // BIND writes a key in match-clients as "key NAME"
        entries.add(e.startsWith("key ") ? e.substring(4).trim() : e);
      }
    }
    List<ViewDefinition> out = new ArrayList<>();
    byName.forEach((name, entries) -> {
      try {
        // the entries are written as --allow-transfer's: an address or CIDR range, else a key name
        TransferAcl clients = TransferAcl.parse(entries);
        out.add(new ViewDefinition(name, clients.keys(), clients.ranges()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--view " + name + ": " + e.getMessage());
      }
    });
    return new ViewConfig(out);
  }
}
