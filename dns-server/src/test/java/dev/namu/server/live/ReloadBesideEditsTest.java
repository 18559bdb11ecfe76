package dev.namu.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.NamudServer;
import dev.namu.server.config.NamudCommandLine;
import dev.namu.zones.store.ForwardingZoneStore;
import dev.namu.zones.store.ZoneWrite;
import dev.namu.zones.store.memory.MemoryZoneStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * A reload of the zone files goes through the zones' one writer: while the import of a zone served
 * from a file is being committed, a reload that finds the file waits for it, then leaves the stored
 * zone serving (a stored zone wins over a file), instead of publishing the file's version beside
 * the import.
 */
class ReloadBesideEditsTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aReloadDuringTheImportOfAFileZoneLeavesTheStoredZoneServing() throws Exception {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Files.writeString(zones.resolve("race.test.zone"), String.join("\n",
        "$TTL 3600",
        "@   SOA ns hostmaster 7 3600 600 86400 300",
        "@   NS  ns",
        "ns  A   192.0.2.1",
        ""));
    GatedStore store = new GatedStore();
    try (NamudServer server = NamudServer.launch(NamudCommandLine.parse("--listen", "127.0.0.1:0",
        "--zones", zones.toString(), "--data", dir.resolve("data").toString(), "--api", "127.0.0.1:0", "--no-metrics",
        "--no-recursion"), config -> store)) {
      server.awaitStore();
      String api = "http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/";
      String token = Files.readString(dir.resolve("data").resolve("api-token")).trim();
      Name race = Name.fromString("race.test.");
      assertEquals(7, server.zones().current().zone(race).serial(), "the file zone serves at start");

      store.hold.set(true);
      // A zone file served is moved into the store by importing it (its text, another serial).
      CompletableFuture<HttpResponse<String>> create = send(api, token, "PUT", "zones/race.test/text",
          "$TTL 3600\n@ SOA ns hostmaster 9 3600 600 86400 300\n@ NS ns\nns A 192.0.2.9\n");
      assertTrue(store.committing.await(WAIT.toSeconds(), TimeUnit.SECONDS),
          "the import never reached the store: " + (create.isDone() ? create.join().body() : "still running"));
      CompletableFuture<HttpResponse<String>> reload = send(api, token, "POST", "reload", "");
      // The reload either finishes now (it did not wait for the edit) or waits for the zone's writer.
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!reload.isDone() && !waitingForTheWriter() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // a poll interval, not a wait for an event
      }
      store.release.countDown();

      HttpResponse<String> created = create.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(200, created.statusCode(), created.body());
      HttpResponse<String> reloaded = reload.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(200, reloaded.statusCode(), reloaded.body());
      assertEquals(0, new ObjectMapper().readTree(reloaded.body()).path("zonesLoaded").asInt(-1),
          "the reload served the file's version of a zone the store was creating: " + reloaded.body());
      assertEquals(server.admin().editor().zone(race).orElseThrow(), server.zones().current().zone(race),
          "the stored zone serves");
    }
  }

  /** True when a thread waits for a zone's lock inside the writer's file publication. */
  private static boolean waitingForTheWriter() {
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      if (t.getThreadState() != Thread.State.WAITING) {
        continue;
      }
      for (StackTraceElement e : t.getStackTrace()) {
        if (e.getClassName().endsWith("ZoneEditor") && e.getMethodName().equals("serveFiles")) {
          return true;
        }
      }
    }
    return false;
  }

  private static CompletableFuture<HttpResponse<String>> send(String api, String token, String method, String path,
      String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(api + path)).timeout(WAIT)
        .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A memory store whose next commit, once held, waits until released. */
  private static final class GatedStore extends ForwardingZoneStore {
    final AtomicBoolean hold = new AtomicBoolean();
    final CountDownLatch committing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    GatedStore() {
      super(new MemoryZoneStore());
    }

    @Override
    public void commit(List<ZoneWrite> writes, String actor) {
      if (hold.getAndSet(false)) {
        committing.countDown();
        try {
          release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      super.commit(writes, actor);
    }
  }
}
