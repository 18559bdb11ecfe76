package dev.namu.cli.explain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code namuctl explain NAME [TYPE] [--client ADDR]}: how namud would answer the question for
 * the client, and why. namud routes it through its own pipeline; this command only prints.
 */
@Command(name = "explain",
    description = "Show how namud would answer NAME/TYPE for a client, and why: the zone, the delegation,"
        + " or the resolution (cached, or its upstream queries).")
public final class ExplainCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The name asked.")
  String name;

  @Parameters(index = "1", arity = "0..1", paramLabel = "TYPE", description = "The type asked (default: A).")
  String type;

  @Option(names = "--client", paramLabel = "ADDR",
      description = "The client's address (default: this caller's, as namud sees it).")
  String client;

  @Override
  protected JsonNode request(ApiClient api) {
    if (client != null) {
      try {
        // a literal only: a host name would be looked up in the DNS, perhaps by namud itself
        Address.getByAddress(client);
      } catch (UnknownHostException e) {
        throw new ParameterException(spec.commandLine(), "--client " + client + ": not an IPv4 or IPv6 address");
      }
    }
    return api.get(ApiClient.query("explain", ApiClient.fields("name", name, "type", type, "client", client)));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode e) {
    out.println(e.path("name").asText() + " " + e.path("type").asText() + " for " + e.path("client").asText()
        + (e.has("view") ? " (view " + e.path("view").asText() + ")" : "") + ": " + summary(e) + " -> " + result(e));
    out.println("  why: " + e.path("reason").asText());
    if (e.has("security")) {
      // DNSSEC: secure, insecure, unchecked, or bogus with the validator's reason
      out.println("  dnssec: " + (e.has("bogus") ? "bogus, " + e.path("bogus").asText() : e.path("security").asText()));
    }
    JsonNode r = e.path("recursion");
    for (JsonNode c : r.path("cache")) {
      out.println("  cached " + c.path("name").asText() + " " + c.path("type").asText() + ", TTL "
          + c.path("ttl").asLong() + " left, trust " + c.path("trust").asText());
    }
    for (JsonNode u : r.path("upstream")) {
      out.println("  asked " + u.path("server").asText() + " (zone " + u.path("zone").asText() + ") "
          + u.path("qname").asText() + " " + u.path("qtype").asText() + ": "
          + (u.has("rcode") ? u.path("rcode").asText() : u.path("failure").asText())
          + " in " + u.path("rttMs").asLong() + " ms");
    }
    int listed = r.path("upstream").size();
    if (r.path("upstreamQueries").asInt() > listed) {
      out.println("  ... " + (r.path("upstreamQueries").asInt() - listed) + " more upstream queries");
    }
    for (JsonNode rec : e.path("answer")) {
      out.println("  " + record(rec));
    }
    for (JsonNode rec : e.path("authority")) {
      out.println("  " + record(rec) + " (authority)");
    }
  }

  /** What namud does with the question, in a few words. */
  private static String summary(JsonNode e) {
    String decision = e.path("decision").asText();
    StringBuilder s = new StringBuilder(decision);
    JsonNode z = e.path("zone");
    if (z.isObject()) {
      s.append(", zone ").append(z.path("name").asText()).append(" (")
          .append(z.has("file") ? "file " + z.path("file").asText() : z.path("source").asText())
          .append(", serial ").append(z.path("serial").asLong()).append(')');
    }
    JsonNode d = e.path("delegation");
    if (d.isObject()) {
      List<String> ns = new ArrayList<>();
      d.path("ns").forEach(n -> ns.add(n.asText()));
      s.append(", delegation ").append(d.path("zone").asText()).append(" NS ").append(String.join(" ", ns));
    }
    JsonNode r = e.path("recursion");
    if (r.isObject()) {
      s.append(", ").append(r.path("cached").asBoolean() ? "from the cache"
          : "by " + r.path("via").asText() + ", " + r.path("upstreamQueries").asInt() + " upstream queries");
      if (r.path("shared").asBoolean()) {
        s.append(" (shared with a resolution in flight)");
      }
    }
    return s.toString();
  }

  /** The answer in short: its records, or the rcode. */
  private static String result(JsonNode e) {
    List<String> records = new ArrayList<>();
    for (JsonNode rec : e.path("answer")) {
      records.add(rec.path("type").asText() + " " + rec.path("data").asText() + " TTL " + rec.path("ttl").asLong());
    }
    String rcode = e.path("rcode").asText();
    if (records.isEmpty()) {
      return e.has("extendedError") ? rcode + " (" + e.path("extendedError").asText() + ")" : rcode;
    }
    return (rcode.equals("NOERROR") ? "" : rcode + " ") + String.join("; ", records);
  }

  private static String record(JsonNode rec) {
    return rec.path("name").asText() + " " + rec.path("ttl").asLong() + " " + rec.path("type").asText() + " "
        + rec.path("data").asText();
  }
}
