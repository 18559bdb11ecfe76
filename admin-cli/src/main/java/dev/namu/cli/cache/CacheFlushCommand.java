package dev.namu.cli.cache;

import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ApiCommand;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code namuctl cache flush [NAME]}: drop cached answers for NAME and below, or all. */
@Command(name = "flush", mixinStandardHelpOptions = true,
    description = "Drop cached answers for NAME and the names below it, or the whole cache.")
public final class CacheFlushCommand extends ApiCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Name to flush (default: everything).")
  String name;

  @Override
  protected void run(ApiClient client, PrintWriter out) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (name != null) {
      body.put("name", name);
    }
    var r = client.post("cache/flush", body);
    if (json()) {
      printJson(out, r, client);
    } else {
      out.println("flushed " + r.path("flushed").asText());
    }
  }
}
