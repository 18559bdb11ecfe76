package dev.namu.server.catalog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.NamudServer;
import dev.namu.server.peers.LoopbackDnsClient;
import dev.namu.server.peers.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** What the catalog tests ask of a namud: its admin API by HTTP, and DNS questions over UDP. */
final class CatalogPeers {
  /** Generous for a loaded 2-core machine: a NOTIFY and a transfer take milliseconds. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private CatalogPeers() {}

  /** One admin API request with the data directory's token; the response. */
  static HttpResponse<String> api(NamudServer namud, Path data, String method, String path, String json) {
    InetSocketAddress api = namud.admin().apiAddress().orElseThrow();
    try {
      String token = Files.readString(data.resolve("api-token")).strip();
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.getPort() + path))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20));
      b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
          : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
      return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates a stored zone through the API, lets 127.0.0.0/8 transfer it and notifies {@code secondary}. */
  static void createZone(NamudServer namud, Path data, String zone, InetSocketAddress secondary) {
    HttpResponse<String> created = api(namud, data, "POST", "/api/v1/zones",
        "{\"name\": \"" + zone + "\", \"nameservers\": [\"ns1." + zone + "\"]}");
    assertTrue(created.statusCode() / 100 == 2, created.statusCode() + " " + created.body());
    HttpResponse<String> allowed = api(namud, data, "PUT", "/api/v1/zones/" + zone + "/transfer",
        "{\"allowTransfer\": [\"127.0.0.0/8\"], \"alsoNotify\": [\"" + secondary.getAddress().getHostAddress()
            + ":" + secondary.getPort() + "\"]}");
    assertTrue(allowed.statusCode() / 100 == 2, allowed.statusCode() + " " + allowed.body());
  }

  /** The reply to {@code name}'s SOA over UDP, or null when none came. */
  static Message soa(InetSocketAddress server, String name) {
    try (LoopbackDnsClient client = new LoopbackDnsClient(Duration.ofSeconds(2))) {
      return client.send(server, LoopbackDnsClient.question(Name.fromString(name, Name.root), Type.SOA), Transport.UDP);
    } catch (IOException e) {
      return null;
    }
  }

  /** True when {@code server} answers {@code zone}'s SOA with authority (it serves the zone). */
  static boolean serves(InetSocketAddress server, String zone) {
    Message reply = soa(server, zone);
    return reply != null && reply.getRcode() == 0 && reply.getHeader().getFlag(Flags.AA)
        && reply.getSection(org.xbill.DNS.Section.ANSWER).size() == 1;
  }

  /** The rcode of {@code name}'s SOA, -1 without a reply. */
  static int rcode(InetSocketAddress server, String name) {
    Message reply = soa(server, name);
    return reply == null ? -1 : reply.getRcode();
  }

  /** The rcode of {@code name}'s A, -1 without a reply. */
  static int rcodeOfA(InetSocketAddress server, String name) {
    try (LoopbackDnsClient client = new LoopbackDnsClient(Duration.ofSeconds(2))) {
      return client.send(server, LoopbackDnsClient.question(Name.fromString(name, Name.root), Type.A), Transport.UDP).getRcode();
    } catch (IOException e) {
      return -1;
    }
  }

  static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
      }
      Thread.sleep(50);
    }
  }
}
