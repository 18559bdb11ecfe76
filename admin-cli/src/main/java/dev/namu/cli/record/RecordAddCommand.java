package dev.namu.cli.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import picocli.CommandLine.Command;

/** {@code namuctl record add ZONE NAME TYPE RDATA... [--ttl N] [--no-ptr]}. */
@Command(name = "add",
    description = {"Add a record; served at once, on disk when this returns.",
        "RDATA words are joined with spaces: record add home.lan @ MX 10 mail",
        "TXT data is one string: record add home.lan @ TXT 'v=spf1 -all'",
        "An A/AAAA record also gets its PTR when namud serves the reverse zone (--no-ptr to skip)."})
public final class RecordAddCommand extends RRsetCommand {
  @Override
  protected JsonNode request(ApiClient client) {
    return client.post(records(), body(String.join(" ", rdata)));
  }
}
