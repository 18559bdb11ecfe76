package dev.namu.server.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.interop.ToolRun;
import dev.namu.server.peers.ProjectRoot;
import dev.namu.server.peers.ToolLocator;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The Debian package this build made, as a user gets it. As root with dpkg and no namu package
 * installed: {@code dpkg -i} (no daemon started), the user, files and conffiles it made, the unit's
 * ExecStart run as the unit's user with its capabilities, a query for the example zone, then
 * {@code dpkg --purge}. Everywhere: the package unpacked with {@code dpkg-deb -x} and its unit's
 * ExecStart run from there. Both runs have their output on a stream JOURNAL_STREAM names, as under
 * systemd, and check that namud logs in the journal's way.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class DebianPackageIT {

  private static final Path UNIT = Path.of("lib/systemd/system/namud.service");
  private static final String EXAMPLE_ZONES = "dns-server/src/main/resources/dev/namu/server/defaults/zones";
  /** Where the package puts the Grafana dashboard of namud's metrics. */
  private static final String DASHBOARD = "/usr/share/namu/grafana-namud.json";
  private static final Duration TOOL_LIMIT = Duration.ofMinutes(3);
  /** systemd's PATH for system services. */
  private static final String SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  /** namud's log lines under the journal: priority prefix, then the level it stands for. */
  private static final Pattern JOURNAL_LINE = Pattern.compile("^<(\\d)>(ERROR|WARN |INFO |DEBUG|TRACE) \\S+: .*");
  private static final Pattern TIMESTAMPED = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");
  private static final Map<String, String> PRIORITY = Map.of(
      "ERROR", "3", "WARN ", "4", "INFO ", "6", "DEBUG", "7", "TRACE", "7");

  @TempDir
  Path temp;

  @Test
  void installedWithDpkgServesTheExampleZoneAsItsUser() throws Exception {
    Path deb = builtPackage();
    assumeTrue("root".equals(System.getProperty("user.name")),
        "not root: dpkg -i skipped; unpackedPackageServesTheExampleZone runs the package unpacked");
    assumeTrue(ToolLocator.find("dpkg").isPresent(), ToolLocator.missing("dpkg", "dpkg"));
    // one install at a time on this machine: builds in other checkouts run this test too
    try (FileChannel channel = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"), "namu-dpkg-test.lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      installRunPurge(deb);
    }
  }

  private void installRunPurge(Path deb) throws Exception {
    assumeFalse(installed(), "a namu package is installed on this machine: left alone, dpkg -i skipped");
    ToolRun purge;
    try {
      ToolRun install = withoutDaemonStarts(List.of("dpkg", "-i", deb.toString()));
      assertEquals(0, install.exitCode(), "dpkg -i: " + install.stdout() + install.stderr());
      checkInstalledFiles();
      UnitFile unit = UnitFile.read(Path.of("/").resolve(UNIT));
      verifyUnit(unit.path());
      Map<String, String> env = serviceEnvironment(unit, Path.of("/var/lib/namu"), UnaryOperator.identity());
      List<String> asUser = asUnitUser(unit);
      try (ServiceRun run = startOnPort53OrFree(asUser, unit.execStart(), env)) {
        assertAnswersExampleZone(run.port());
        // ExecReload as systemctl reload runs it: namud (not a shell before it) gets the SIGHUP
        ToolRun reload = ToolRun.run(TOOL_LIMIT,
            List.of(unit.value("ExecReload").replace("$MAINPID", Long.toString(run.pid())).split("\\s+")));
        assertEquals(0, reload.exitCode(), "ExecReload: " + reload.stderr());
        run.awaitOutput("SIGHUP");
        assertAnswersExampleZone(run.port());
        assertJournalFormat(run.output());
        assertEquals(0, run.stop(), "namud's exit status after SIGTERM:\n" + run.output());
      }
      assertEquals("namu", Files.getOwner(Path.of("/var/lib/namu/namu.mv.db")).getName(),
          "the zone store is written by the unit's user");
    } finally {
      purge = dpkg(List.of("dpkg", "--purge", "namu"));
    }
    assertEquals(0, purge.exitCode(), "dpkg --purge: " + purge.stdout() + purge.stderr());
    assertFalse(installed(), "namu is still installed after dpkg --purge");
    for (String gone : List.of("/var/lib/namu", "/etc/namu", "/usr/share/namu", "/lib/systemd/system/namud.service",
        "/etc/systemd/system/multi-user.target.wants/namud.service")) {
      assertFalse(Files.exists(Path.of(gone), java.nio.file.LinkOption.NOFOLLOW_LINKS), gone + " is left after purge");
    }
  }

  @Test
  void unpackedPackageServesTheExampleZone() throws Exception {
    Path deb = builtPackage();
    assumeTrue(ToolLocator.find("dpkg-deb").isPresent(), ToolLocator.missing("dpkg-deb", "dpkg"));
    Path root = Files.createDirectory(temp.resolve("root"));
    ToolRun extract = ToolRun.run(TOOL_LIMIT, List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
    assertEquals(0, extract.exitCode(), "dpkg-deb -x: " + extract.stderr());
    Path control = temp.resolve("control");
    ToolRun controlFiles = ToolRun.run(TOOL_LIMIT, List.of("dpkg-deb", "-e", deb.toString(), control.toString()));
    assertEquals(0, controlFiles.exitCode(), "dpkg-deb -e: " + controlFiles.stderr());
    assertConffiles(Files.readString(control.resolve("conffiles")));
    assertSameAsExampleZones(root.resolve("etc/namu/zones"));
    assertSameAsDashboard(root.resolve(DASHBOARD.substring(1)));
    ToolRun check = ToolRun.run(TOOL_LIMIT, List.of(root.resolve("usr/bin/namuctl").toString(), "zone", "check",
        root.resolve("etc/namu/zones/home.lan.zone").toString()));
    assertEquals(0, check.exitCode(), "namuctl zone check of the example zone: " + check.stdout() + check.stderr());

    // the unit's absolute paths, taken inside the unpacked tree; its state and cache in temp
    Path state = Files.createDirectory(temp.resolve("state"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Path cache = Files.createDirectory(temp.resolve("cache"));
    UnaryOperator<String> place = word -> {
      if (word.startsWith("/var/lib/namu")) {
        return state + word.substring("/var/lib/namu".length());
      }
      if (word.startsWith("/var/cache/namu")) {
        return cache + word.substring("/var/cache/namu".length());
      }
      if (word.startsWith("/") && Files.exists(root.resolve(word.substring(1)), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return root.resolve(word.substring(1)).toString();
      }
      return word;
    };
    UnitFile unit = UnitFile.read(root.resolve(UNIT));
    List<String> command = new ArrayList<>(unit.execStart().stream().map(place).toList());
    verifyUnit(rewrittenExecStart(unit, String.join(" ", command)));
    Map<String, String> env = serviceEnvironment(unit, state, place);
    // a developer's machine: port 53 is not ours to take, nor /etc/namu and /var/lib/namu, which the
    // unit's config file names: flags put them in the unpacked tree (flags override the file)
    int port = dev.namu.server.ToolPorts.freePort();
    // the metrics port too: the configuration's 9153 may be another namud's on a shared machine
    command.addAll(List.of("--zones", root.resolve("etc/namu/zones").toString(), "--data", state.toString(),
        "--metrics", "127.0.0.1:" + dev.namu.server.ToolPorts.freePort(), "--listen", "127.0.0.1:" + port));
    try (ServiceRun run = ServiceRun.start(command, env, true, temp.resolve("journal.log"))) {
      assertEquals(port, run.port());
      assertAnswersExampleZone(run.port());
      assertJournalFormat(run.output());
      assertEquals(0, run.stop(), "namud's exit status after SIGTERM:\n" + run.output());
    }
    // JOURNAL_STREAM inherited from elsewhere (not this output): today's interactive format
    command.set(command.size() - 1, "127.0.0.1:" + dev.namu.server.ToolPorts.freePort());
    try (ServiceRun run = ServiceRun.start(command, env, false, temp.resolve("terminal.log"))) {
      String serving = run.output().lines().filter(l -> l.contains("namud serving")).findFirst().orElseThrow();
      assertTrue(TIMESTAMPED.matcher(serving).find(), "not the interactive format: " + serving);
    }
  }

  @Test
  void readmeInstallsThePackageTheBuildMakes() throws IOException {
    Path deb = builtPackage();
    Path root = ProjectRoot.find();
    Matcher install = Pattern.compile("(?m)^sudo apt install \\./(\\S+)$")
        .matcher(Files.readString(root.resolve("README.md")));
    assertTrue(install.find(), "README's Install as a service shows no `sudo apt install ./PACKAGE`");
    assertTrue(root.getFileSystem().getPathMatcher("glob:" + install.group(1)).matches(root.relativize(deb)),
        "README installs " + install.group(1) + ", the build made " + root.relativize(deb));
  }

  /** target/namu_VERSION_all.deb of this build: the tests run after `mvn package` made it. */
  private static Path builtPackage() throws IOException {
    Path target = ProjectRoot.find().resolve("dns-server/target");
    List<Path> debs = new ArrayList<>();
    if (Files.isDirectory(target)) {
      try (DirectoryStream<Path> found = Files.newDirectoryStream(target, "namu_*_all.deb")) {
        found.forEach(debs::add);
      }
    }
    assertFalse(debs.isEmpty(), "no Debian package in " + target + " (mvn package makes it)");
    // the newest: a package of an older version may be left in target from an earlier build
    debs.sort(java.util.Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed());
    return debs.get(0);
  }

  private static boolean installed() throws IOException, InterruptedException {
    ToolRun status = ToolRun.run(TOOL_LIMIT, List.of("dpkg-query", "-W", "-f=${Status}", "namu"));
    return status.exitCode() == 0 && status.stdout().contains("install ok installed");
  }

  /**
   * Runs a dpkg command with a policy-rc.d that forbids starting daemons (exit 101, which
   * deb-systemd-invoke and invoke-rc.d obey), unless the machine has a policy of its own already.
   */
  private static ToolRun withoutDaemonStarts(List<String> command) throws IOException, InterruptedException {
    Path policy = Path.of("/usr/sbin/policy-rc.d");
    boolean ours = !Files.exists(policy, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    if (ours) {
      Files.writeString(policy, "#!/bin/sh\nexit 101\n");
      Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    try {
      return dpkg(command);
    } finally {
      if (ours) {
        Files.deleteIfExists(policy);
      }
    }
  }

  /** A dpkg command, tried again while another dpkg or apt holds dpkg's lock (up to 2 minutes). */
  private static ToolRun dpkg(List<String> command) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
    while (true) {
      ToolRun run = ToolRun.run(TOOL_LIMIT, command);
      if (run.exitCode() == 0 || !run.stderr().contains("lock") || System.nanoTime() > deadline) {
        return run;
      }
      Thread.sleep(1000);
    }
  }

  private static void checkInstalledFiles() throws IOException, InterruptedException {
    ToolRun user = ToolRun.run(TOOL_LIMIT, List.of("getent", "passwd", "namu"));
    assertEquals(0, user.exitCode(), "no user namu after dpkg -i");
    String[] fields = user.stdout().strip().split(":");
    assertEquals("/var/lib/namu", fields[5], "namu's home");
    assertTrue(fields[6].endsWith("nologin") || fields[6].endsWith("false"), "namu may not log in: " + fields[6]);
    assertTrue(Integer.parseInt(fields[2]) < 1000, "namu is a system user: uid " + fields[2]);
    assertEquals(0, ToolRun.run(TOOL_LIMIT, List.of("getent", "group", "namu")).exitCode(), "no group namu");

    Path state = Path.of("/var/lib/namu");
    assertEquals("namu", Files.getOwner(state).getName(), "owner of " + state);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)), state + " mode");
    for (String launcher : List.of("/usr/bin/namud", "/usr/bin/namuctl")) {
      assertTrue(Files.isExecutable(Path.of(launcher)), launcher + " is not executable");
    }
    for (String jar : List.of("/usr/share/namu/namud.jar", "/usr/share/namu/namuctl.jar")) {
      assertTrue(Files.size(Path.of(jar)) > 0, jar + " is empty");
    }
    assertSameAsExampleZones(Path.of("/etc/namu/zones"));
    assertSameAsDashboard(Path.of(DASHBOARD));
    assertTrue(Files.isRegularFile(Path.of("/etc/namu/namud.yaml")), "no /etc/namu/namud.yaml");
    ToolRun conffiles = ToolRun.run(TOOL_LIMIT, List.of("dpkg-query", "-W", "-f=${Conffiles}", "namu"));
    assertConffiles(conffiles.stdout());
    ToolRun check = ToolRun.run(TOOL_LIMIT, List.of("/usr/bin/namuctl", "zone", "check", "/etc/namu/zones/home.lan.zone"));
    assertEquals(0, check.exitCode(), "namuctl zone check of the installed example zone: " + check.stdout() + check.stderr());
  }

  private static void assertConffiles(String conffiles) {
    for (String file : List.of("/etc/namu/namud.yaml", "/etc/namu/zones/home.lan.zone")) {
      assertTrue(conffiles.lines().anyMatch(l -> l.strip().startsWith(file)), file + " is not a conffile: " + conffiles);
    }
  }

  /** The installed example zones are namud's built-in ones, byte for byte. */
  private static void assertSameAsExampleZones(Path installed) throws IOException {
    Path source = ProjectRoot.find().resolve(EXAMPLE_ZONES);
    try (DirectoryStream<Path> zones = Files.newDirectoryStream(source, "*.zone")) {
      for (Path zone : zones) {
        Path copy = installed.resolve(zone.getFileName().toString());
        assertTrue(Files.isRegularFile(copy), "no " + copy);
        assertEquals(-1L, Files.mismatch(zone, copy), copy + " differs from " + zone);
      }
    }
  }

  /** The installed Grafana dashboard is the one in the source tree, byte for byte. */
  private static void assertSameAsDashboard(Path installed) throws IOException {
    Path source = ProjectRoot.find().resolve("dns-server/src/main/dist/grafana-namud.json");
    assertTrue(Files.isRegularFile(installed), "no " + installed);
    assertEquals(-1L, Files.mismatch(source, installed), installed + " differs from " + source);
  }

  /** systemd-analyze verify accepts the unit; skipped with a message when systemd-analyze is missing. */
  private static void verifyUnit(Path unit) throws IOException, InterruptedException {
    if (ToolLocator.find("systemd-analyze").isEmpty()) {
      System.out.println(ToolLocator.missing("systemd-analyze", "systemd") + " the unit check");
      return;
    }
    ToolRun verify = ToolRun.run(TOOL_LIMIT, List.of("systemd-analyze", "verify", unit.toString()));
    assertEquals(0, verify.exitCode(), "systemd-analyze verify " + unit + ": " + verify.stdout() + verify.stderr());
  }

  /** A copy of the unit whose ExecStart is {@code execStart}, for a tree that is not installed at /. */
  private Path rewrittenExecStart(UnitFile unit, String execStart) throws IOException {
    String text = Files.readString(unit.path()).replaceFirst("(?m)^ExecStart=.*$",
        Matcher.quoteReplacement("ExecStart=" + execStart));
    return Files.writeString(Files.createDirectories(temp.resolve("unit")).resolve("namud.service"), text);
  }

  /** What systemd puts in a service's environment: its PATH, the user's HOME and names, Environment=. */
  private static Map<String, String> serviceEnvironment(UnitFile unit, Path home, UnaryOperator<String> place) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", SERVICE_PATH);
    env.put("HOME", home.toString());
    env.put("USER", unit.value("User"));
    env.put("LOGNAME", unit.value("User"));
    unit.environment().forEach((key, value) -> env.put(key, place.apply(value)));
    return env;
  }

  /** setpriv as the unit's User=, Group=, NoNewPrivileges=, CapabilityBoundingSet= and AmbientCapabilities=. */
  private static List<String> asUnitUser(UnitFile unit) {
    String setpriv = ToolLocator.find("setpriv").orElseThrow(() ->
        new AssertionError("setpriv (util-linux) is missing: cannot run the unit as its user")).toString();
    String ambient = "-all," + String.join(",", unit.capabilities("AmbientCapabilities").stream().map(c -> "+" + c).toList());
    String bounding = "-all," + String.join(",", unit.capabilities("CapabilityBoundingSet").stream().map(c -> "+" + c).toList());
    List<String> wrapper = new ArrayList<>(List.of(setpriv, "--reuid=" + unit.value("User"), "--regid=" + unit.value("Group"),
        "--init-groups", "--inh-caps=" + ambient, "--ambient-caps=" + ambient, "--bounding-set=" + bounding));
    if (unit.value("NoNewPrivileges").equals("yes")) {
      wrapper.add("--no-new-privs");
    }
    wrapper.add("--");
    return wrapper;
  }

  /**
   * The unit's ExecStart as its user. When it names no --listen (the port is the configuration's:
   * 53 on loopback), port 53 if it is free, else an extra --listen on a free port, said in the output.
   */
  private ServiceRun startOnPort53OrFree(List<String> asUser, List<String> execStart, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(asUser);
    command.addAll(execStart);
    // the configuration's metrics port 9153 may be another namud's on a shared machine
    command.addAll(List.of("--metrics", "127.0.0.1:" + dev.namu.server.ToolPorts.freePort()));
    boolean portFromUnit = execStart.stream().anyMatch(w -> w.equals("--listen") || w.startsWith("--listen="));
    if (portFromUnit || (free(InetAddress.getByName("127.0.0.1")) && free(InetAddress.getByName("::1")))) {
      try {
        return ServiceRun.start(command, env, true, temp.resolve("journal.log"));
      } catch (ServiceRun.EarlyExit e) {
        if (portFromUnit) {
          throw new AssertionError(e.getMessage());
        }
        System.out.println("namud could not take port 53 (taken since it was checked?): " + e.getMessage());
      }
    }
    int port = dev.namu.server.ToolPorts.freePort();
    System.out.println("port 53 on loopback is taken: the unit's namud listens on 127.0.0.1:" + port + " instead");
    command.addAll(List.of("--listen", "127.0.0.1:" + port));
    try {
      return ServiceRun.start(command, env, true, temp.resolve("journal.log"));
    } catch (ServiceRun.EarlyExit e) {
      throw new AssertionError(e.getMessage());
    }
  }

  /** Port 53 is free on {@code address} for UDP and TCP. */
  private static boolean free(InetAddress address) {
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, 53));
        ServerSocket tcp = new ServerSocket(53, 1, address)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** nas.home.lan over UDP: the example zone's own address, authoritative. */
  private static void assertAnswersExampleZone(int port) throws IOException {
    Name nas = Name.fromString("nas.home.lan.");
    String expected = exampleAddress(nas);
    SimpleResolver resolver = new SimpleResolver(InetAddress.getByName("127.0.0.1"));
    resolver.setPort(port);
    resolver.setTimeout(Duration.ofSeconds(10));
    Message reply = resolver.send(Message.newQuery(Record.newRecord(nas, Type.A, DClass.IN)));
    assertEquals(Rcode.NOERROR, reply.getRcode(), reply.toString());
    assertTrue(reply.getHeader().getFlag(Flags.AA), "not authoritative: " + reply);
    assertTrue(reply.getSection(Section.ANSWER).stream()
        .anyMatch(r -> r instanceof ARecord a && a.getAddress().getHostAddress().equals(expected)),
        "no " + nas + " A " + expected + " in " + reply);
  }

  /** The address the example zone file gives {@code name}. */
  private static String exampleAddress(Name name) throws IOException {
    try (Master zone = new Master(ProjectRoot.find().resolve(EXAMPLE_ZONES).resolve("home.lan.zone").toString())) {
      for (Record r = zone.nextRecord(); r != null; r = zone.nextRecord()) {
        if (r instanceof ARecord a && a.getName().equals(name)) {
          return a.getAddress().getHostAddress();
        }
      }
    }
    throw new AssertionError("the example zone has no A record for " + name);
  }

  /** Every line is an event led by its journald priority, none carries a time (journald adds it). */
  private static void assertJournalFormat(String output) {
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("<6>INFO  NamudServer: namud serving")),
        "no journal line for the start:\n" + output);
    for (String line : lines) {
      assertFalse(TIMESTAMPED.matcher(line).find(), "a time in a journal line: " + line);
      Matcher m = JOURNAL_LINE.matcher(line);
      assertTrue(m.matches(), "not a journal line (<PRIORITY>LEVEL logger: message): " + line);
      assertEquals(PRIORITY.get(m.group(2)), m.group(1), "priority of " + line);
    }
  }
}
