package dev.namu.zones.store.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from the binaries of Debian's {@code postgresql} package
 * ({@code /usr/lib/postgresql/VERSION/bin}): a cluster made by initdb in a temporary directory,
 * listening on 127.0.0.1 and a free port only (no Unix socket), trust authentication for user
 * {@code namu}. PostgreSQL refuses to run as root, so when the tests do (CI) its programs run as the
 * unprivileged user {@code postgres} through {@code setpriv}, the directory owned by that user. A
 * test that uses it is skipped, with the reason, when the binaries are missing.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String USER = "namu";
  private static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");

  private final Path bin;
  private final Path dir;
  private final List<String> asUser;
  private final Process process;
  private final int port;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresServer(Path bin, Path dir, List<String> asUser, Process process, int port) {
    this.bin = bin;
    this.dir = dir;
    this.asUser = asUser;
    this.process = process;
    this.port = port;
  }

  /** The newest installed PostgreSQL's bin directory, if any. */
  public static Optional<Path> binaries() {
    if (!Files.isDirectory(DEBIAN_BINARIES)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(DEBIAN_BINARIES)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
          .max(Comparator.comparing(b -> versionOf(b.getParent())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Starts a cluster, or skips the calling test when PostgreSQL is not installed. */
  public static PostgresServer start() throws IOException, InterruptedException {
    Optional<Path> bin = binaries();
    assumeTrue(bin.isPresent(), "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb):"
        + " install Debian's postgresql package (.ci/run does) to run this test");
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("namu-pg");
    List<String> asUser = List.of();
    if (root) {
      UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
      UserPrincipal postgres;
      GroupPrincipal group;
      try {
        postgres = users.lookupPrincipalByName("postgres");
        group = users.lookupPrincipalByGroupName("postgres");
      } catch (IOException e) {
        deleteTree(dir);
        throw new IllegalStateException("running as root and there is no user postgres to run PostgreSQL as", e);
      }
      PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
      view.setOwner(postgres);
      view.setGroup(group);
      asUser = List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--");
    }
    Path data = dir.resolve("data");
    List<String> initdb = new ArrayList<>(asUser);
    initdb.addAll(List.of(bin.get().resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
        "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
    run(initdb, dir.resolve("initdb.log"));
    IOException last = null;
    // a free port may be taken by someone else between finding it and binding it: try a few
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      List<String> postgres = new ArrayList<>(asUser);
      postgres.addAll(List.of(bin.get().resolve("postgres").toString(), "-D", data.toString(),
          "-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
          "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
          "-c", "max_connections=100"));
      Path log = dir.resolve("postgres.log");
      Process p = new ProcessBuilder(postgres).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      PostgresServer server = new PostgresServer(bin.get(), dir, asUser, p, port);
      try {
        server.awaitReady();
        return server;
      } catch (IOException e) {
        last = e;
        server.stopProcess();
      }
    }
    deleteTree(dir);
    throw last;
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("postgres exited (" + process.exitValue() + "): " + log());
      }
      try (Connection c = DriverManager.getConnection(url("postgres"))) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new IOException("postgres did not accept connections within 60 s: " + last + "\n" + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("postgres.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** A JDBC URL for database {@code name} as user {@code namu}. */
  public String url(String name) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=" + USER;
  }

  /** Creates a new, empty database and returns its URL: each test its own. */
  public String newDatabase() throws SQLException {
    String name = "namu" + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url("postgres")); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    stopProcess();
    deleteTree(dir);
  }

  /** Fast shutdown (SIGINT through pg_ctl): connections are closed, nothing is kept. */
  private void stopProcess() throws IOException, InterruptedException {
    if (process.isAlive()) {
      List<String> stop = new ArrayList<>(asUser);
      stop.addAll(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", dir.resolve("data").toString(),
          "-m", "fast", "-w", "-t", "30"));
      Process p = new ProcessBuilder(stop).redirectErrorStream(true)
          .redirectOutput(dir.resolve("pg_ctl.log").toFile()).start();
      if (!p.waitFor(40, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void run(List<String> cmd, Path log) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(cmd.get(0) + " did not finish within 120 s: " + Files.readString(log));
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + Files.readString(log));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    if (Files.isDirectory(root) && !Files.isSymbolicLink(root)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
        for (Path e : entries) {
          deleteTree(e);
        }
      }
    }
    Files.delete(root);
  }
}
