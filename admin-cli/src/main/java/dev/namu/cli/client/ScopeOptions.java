package dev.namu.cli.client;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What a TSIG key or an API token may change, as {@code key add} and {@code token add} take it:
 * zones, a name (and the names below it) and record types; each left out means any.
 */
public final class ScopeOptions {
  @Option(names = "--zone", paramLabel = "ZONE",
      description = "Limit it to this zone; repeatable. Default: any zone.")
  List<String> zones;

  @Option(names = "--name", paramLabel = "NAME",
      description = "Limit it to this name, relative to each zone (_acme-challenge) or absolute. Default: any name.")
  String owner;

  @Option(names = "--subtree", description = "With --name: the names below it too.")
  boolean subtree;

  @Option(names = "--types", paramLabel = "TYPE[,TYPE...]", split = ",",
      description = "Limit it to these record types (TXT). Default: any type.")
  List<String> types;

  /** The scope's fields of the API body; those not given are left out. */
  public Map<String, Object> fields() {
    return ApiClient.fields("zones", zones, "owner", owner, "subtree", subtree ? Boolean.TRUE : null,
        "types", types);
  }
}
