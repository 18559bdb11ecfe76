package dev.namu.server.admin;

import dev.namu.server.api.AdminApi;
import dev.namu.server.api.ApiEdits;
import dev.namu.server.api.ApiLimits;
import dev.namu.server.api.ApiToken;
import dev.namu.server.api.ServerControl;
import dev.namu.server.update.TsigKeyring;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.jdbc.JdbcStoreConfig;
import dev.namu.zones.store.jdbc.JdbcZoneStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Runs the admin API's edit path a few hundred times at start, before the real API listens, so that
 * the first edits a client makes do not pay for the JIT compiling H2, the editor and the JSON code
 * (most of a fresh JVM's CPU per edit) and their interpreted runs; each scratch edit is checked by a
 * query to a scratch listener ({@link ScratchQueries}), so the first query of a client, an edit's
 * check among them, finds the query path run too. Everything it uses is its own: an
 * H2 store in a scratch directory inside the data directory (on the real store's disk; deleted after),
 * a registry nothing serves, an API on an ephemeral loopback port with its own token and counters. Nothing of it reaches the real store, journal,
 * zones or metrics. Bounded in edits and in time; a failure is logged and changes nothing.
 */
public final class EditWarmup {

  private static final Logger log = LoggerFactory.getLogger(EditWarmup.class);

  /** Edits made: enough for the hot H2 and editor code to be compiled by C1 with profiles, most by C2. */
  static final int EDITS = 600;
  /** Longest the edits may take: on a machine busy with other work the warm-up stops early. */
  static final Duration EDIT_BUDGET = Duration.ofSeconds(3);
  /** Longest to wait, after the edits, for the compilations they queued to finish. */
  static final Duration JIT_SETTLE_BUDGET = Duration.ofSeconds(2);

  private EditWarmup() {}

  /** Warms the edit path in a scratch directory inside {@code dataDir}; returns the edits made. Never throws. */
  public static int run(Path dataDir) {
    long started = System.nanoTime();
    Path scratch = null;
    int made = 0;
    try {
      scratch = Files.createTempDirectory(dataDir, "warmup-");
      Made work = editThroughApi(scratch);
      made = work.edits();
      long jit = awaitJitSettled();
      log.info("edit path warmed with {} scratch edits and {} scratch queries in {} ms ({} ms of JIT after them;"
          + " nothing stored or counted)", made, work.queries(), (System.nanoTime() - started) / 1_000_000, jit);
    } catch (IOException | RuntimeException e) {
      log.info("edit path not warmed ({}): the first edits run on a cold JVM", e.toString());
    } finally {
      if (scratch != null) {
        delete(scratch);
      }
    }
    return made;
  }

  /** What the warm-up made: edits through the scratch API, questions to the scratch listener. */
  private record Made(int edits, int queries) {}

  private static Made editThroughApi(Path scratch) throws IOException {
    ZoneRegistry registry = new ZoneRegistry();
    try (ZoneStore store = JdbcZoneStore.open(JdbcStoreConfig.h2(scratch))) {
      ZoneEditor editor = ZoneEditor.open(store, registry);
      ApiToken token = ApiToken.loadOrCreate(scratch);
      String secret = Files.readString(scratch.resolve(ApiToken.FILE_NAME)).trim();
      AdminApi api = AdminApi.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), token, editor, store,
          registry, new TsigKeyring(store), new IdleServer(), Optional.empty(), Clock.systemUTC(),
          ApiLimits.defaults(), new ApiEdits());
      try (Socket socket = new Socket(api.address().getAddress(), api.address().getPort());
          ScratchQueries dns = ScratchQueries.serve(registry)) {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) EDIT_BUDGET.toMillis());
        HttpCalls http = new HttpCalls(socket, secret);
        http.call("POST", "/api/v1/zones", "{\"name\":\"warmup.test\"}");
        Name zone = Name.fromConstantString("warmup.test.");
        long deadline = System.nanoTime() + EDIT_BUDGET.toNanos();
        int made = 0;
        while (made < EDITS && System.nanoTime() < deadline) {
          // adds, and now and then a delete of the record added before, as scripts do; each edit
          // checked by a query, as scripts do too, and now and then a name that is not there
          String name = "h" + made;
          http.call("POST", "/api/v1/zones/warmup.test/records",
              "{\"name\":\"" + name + "\",\"type\":\"A\",\"data\":\"10.0." + (made >> 8 & 255) + "." + (made & 255) + "\"}");
          dns.ask(Name.fromConstantString(name + ".warmup.test."), Type.A);
          if (made % 8 == 7) {
            http.call("DELETE", "/api/v1/zones/warmup.test/records?name=h" + (made - 1) + "&type=A", null);
            dns.ask(Name.fromConstantString("h" + (made - 1) + ".warmup.test."), Type.A);
            dns.ask(zone, Type.SOA);
          }
          made++;
        }
        return new Made(made, dns.asked());
      } finally {
        api.close();
      }
    }
  }

  /**
   * Waits until the JIT has compiled what the edits queued (its total time stops moving), at most
   * {@link #JIT_SETTLE_BUDGET}: compilations still running when the first client comes would take
   * the CPU it needs. Returns the milliseconds of compilation in that time.
   */
  private static long awaitJitSettled() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return 0;
    }
    long first = jit.getTotalCompilationTime();
    long last = first;
    long deadline = System.nanoTime() + JIT_SETTLE_BUDGET.toNanos();
    int quiet = 0;
    while (quiet < 2 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      long now = jit.getTotalCompilationTime();
      quiet = now - last < 5 ? quiet + 1 : 0;
      last = now;
    }
    return last - first;
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("warm-up scratch directory {} not deleted: {}", dir, e.getMessage());
    }
  }

  /** HTTP/1.1 requests over one keep-alive connection, each answer read whole (Content-Length). */
  private static final class HttpCalls {
    private final InputStream in;
    private final OutputStream out;
    private final String token;

    HttpCalls(Socket socket, String token) throws IOException {
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
      this.token = token;
    }

    void call(String method, String path, String json) throws IOException {
      byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
      String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String headers = readHeaders();
      if (!headers.startsWith("HTTP/1.1 2")) {
        throw new IOException("warm-up " + method + " " + path + ": " + headers.lines().findFirst().orElse(""));
      }
      int length = 0;
      for (String line : headers.split("\r\n")) {
        if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      if (in.readNBytes(length).length != length) {
        throw new IOException("warm-up: the answer ended early");
      }
    }

    private String readHeaders() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("warm-up: the connection closed");
        }
        head.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.US_ASCII);
    }
  }

  /** The server the scratch API reports on: none, it answers no queries and reloads nothing. */
  private static final class IdleServer implements ServerControl {
    private final Instant started = Instant.now();

    @Override
    public ReloadReport reload() {
      return new ReloadReport(0, java.util.List.of());
    }

    @Override
    public Instant startedAt() {
      return started;
    }

    @Override
    public OptionalLong queriesAnswered() {
      return OptionalLong.empty();
    }
  }
}
