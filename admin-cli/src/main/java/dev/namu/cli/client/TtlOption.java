package dev.namu.cli.client;

import picocli.CommandLine.Option;

/** The {@code --ttl} of the commands that write records: seconds or BIND's units; absent, the server's default. */
public final class TtlOption {

  @Option(names = "--ttl", paramLabel = "TTL", converter = TtlConverter.class,
      description = "TTL of the records written (default 3600): seconds, or 30m, 1h30m, 1d, 1w.")
  Long ttl;

  /** The TTL given, or null for the server's default. */
  public Long value() {
    return ttl;
  }
}
