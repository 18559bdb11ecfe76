package dev.namu.server.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.cli.Namuctl;
import dev.namu.server.NamudServer;
import dev.namu.server.ToolPorts;
import dev.namu.server.interop.ToolRun;
import dev.namu.server.peers.NamudPeer;
import dev.namu.server.peers.ProjectRoot;
import dev.namu.server.peers.ToolLocator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README is tested like code (CoreDNS's habit): the namud flags it documents are the flags
 * {@code namud --help} lists, its set-up section has exactly the two commands, {@code .ci/run}
 * ends with its test command, and its quick-start {@code dig}/{@code nslookup} commands work.
 */
class ReadmeTest {

    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String QUICK_START_PORT = "5353";

    @TempDir
    Path temp;

    private static Path root() {
        return ProjectRoot.find();
    }

    private static String readme() throws IOException {
        return Files.readString(root().resolve("README.md"), StandardCharsets.UTF_8);
    }

    /** The text under {@code heading} up to the next heading of the same or a higher level. */
    static String section(String markdown, String heading) {
        int level = heading.indexOf(' ');
        int start = markdown.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README has no section '" + heading + "'");
        int bodyStart = start + heading.length() + 2;
        Matcher next = Pattern.compile("(?m)^#{1," + level + "} ").matcher(markdown);
        int end = markdown.length();
        boolean inCode = false;
        // Skip '#' lines inside fenced code blocks (shell comments).
        for (String line : markdown.substring(bodyStart).split("\n", -1)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            }
            if (!inCode && next.reset(line).lookingAt()) {
                end = markdown.indexOf("\n" + line, bodyStart) + 1;
                break;
            }
        }
        return markdown.substring(bodyStart, end);
    }

    /** The lines of every fenced code block tagged {@code sh} in {@code text}. */
    static List<String> shellLines(String text) {
        List<String> lines = new ArrayList<>();
        boolean inShell = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("```")) {
                inShell = !inShell && line.trim().equals("```sh");
                continue;
            }
            if (inShell && !line.isBlank() && !line.trim().startsWith("#")) {
                lines.add(line.trim());
            }
        }
        return lines;
    }

    @Test
    void setUpHasExactlyTheTwoCommandsAndCiRunsTheTestCommand() throws IOException {
        List<String> commands = shellLines(section(readme(), "## Set up"));
        assertEquals(List.of("mvn -B -DskipTests package && java -jar dns-server/target/namud.jar", "mvn -B verify"),
                commands);
        List<String> ci = Files.readAllLines(root().resolve(".ci/run")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals(commands.get(1), ci.get(ci.size() - 1), ".ci/run must end with the README's test command");
    }

    @Test
    void everyDocumentedNamudFlagIsInHelpAndTheOtherWayRound() throws Exception {
        Set<String> documented = flags(section(readme(), "### namud"));
        assertTrue(documented.containsAll(Set.of("--listen", "--zones", "--log-level")), documented.toString());

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ToolRun help = ToolRun.run(LIMIT, List.of(java, "-cp", classpath, "dev.namu.server.Namud", "--help"));
        assertEquals(0, help.exitCode(), help.transcript());
        String text = help.stdout() + help.stderr();
        assertFalse(text.contains("Exception"), "no stack trace for --help\n" + help.transcript());
        Set<String> offered = flags(text);
        Set<String> undocumented = new TreeSet<>(offered);
        undocumented.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(offered);
        assertEquals(Set.of(), unknown, "README documents flags namud --help does not list\n" + help.transcript());
        assertEquals(Set.of(), undocumented, "namud --help lists flags the README does not document");
    }

    @Test
    void quickStartCommandsAnswerFromTheExampleZone() throws Exception {
        List<String> commands = shellLines(section(readme(), "## Quick start")).stream()
                .filter(l -> l.startsWith("dig ") || l.startsWith("nslookup "))
                .toList();
        assertTrue(commands.size() >= 2, "quick start shows dig and nslookup: " + commands);
        try (NamudPeer namud = NamudPeer.start("--listen", ToolPorts.listen())) {
            String port = Integer.toString(namud.address().getPort());
            for (String command : commands) {
                List<String> argv = new ArrayList<>(Arrays.asList(command.split(" +")));
                assumeTrue(ToolLocator.find(argv.get(0)).isPresent(),
                        ToolLocator.missing(argv.get(0), "bind9-dnsutils"));
                argv.replaceAll(a -> a.replace(QUICK_START_PORT, port));
                argv.set(0, ToolLocator.find(argv.get(0)).orElseThrow().toString());
                ToolRun run = ToolRun.run(LIMIT, argv);
                assertEquals(0, run.exitCode(), run.transcript());
                String expected = command.contains("-x") ? "nas.home.lan." : "192.168.0.12";
                assertTrue(run.stdout().contains(expected), run.transcript());
                if (command.startsWith("dig ")) {
                    assertTrue(run.stdout().contains("status: NOERROR"), run.transcript());
                    assertTrue(Pattern.compile("(?m)^;; flags: qr aa").matcher(run.stdout()).find(), run.transcript());
                }
            }
        }
    }

    @Test
    void everyTestClassTheReadmeNamesExists() throws IOException {
        Matcher test = Pattern.compile("-Dtest=([A-Za-z0-9]+)").matcher(readme());
        Set<String> named = new TreeSet<>();
        while (test.find()) {
            named.add(test.group(1));
        }
        assertTrue(named.containsAll(Set.of("DifferentialTest", "MalformedCorpusTest")), named.toString());
        Path testClasses = Path.of(ReadmeTest.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (var files = Files.walk(testClasses)) {
            Set<String> present = new TreeSet<>(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class")).map(n -> n.substring(0, n.length() - ".class".length()))
                    .toList());
            Set<String> missing = new TreeSet<>(named);
            missing.removeAll(present);
            assertEquals(Set.of(), missing, "README names test classes that do not exist in dns-server");
        }
    }

    /** A method annotated as a Jazzer fuzz test, at the start of its line. */
    private static final Pattern FUZZ_TEST = Pattern.compile("(?m)^\\s*@FuzzTest\\b");

    @Test
    void theFuzzingTableListsEveryFuzzTestInItsModule() throws IOException {
        Matcher row = Pattern.compile("(?m)^\\| `(\\w+FuzzTest)` \\| ([\\w-]+) \\|").matcher(section(readme(), "### Fuzzing"));
        Set<String> listed = new TreeSet<>();
        while (row.find()) {
            listed.add(row.group(2) + "/" + row.group(1));
        }
        Set<String> present = new TreeSet<>();
        for (String module : List.of("zones", "resolver", "dns-server", "admin-cli")) {
            Path tests = root().resolve(module).resolve("src/test/java");
            try (var files = Files.walk(tests)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (FUZZ_TEST.matcher(Files.readString(f, StandardCharsets.UTF_8)).find()) {
                        String name = f.getFileName().toString();
                        present.add(module + "/" + name.substring(0, name.length() - ".java".length()));
                    }
                }
            }
        }
        assertFalse(present.isEmpty(), "fuzz tests found");
        assertEquals(present, listed, "README's fuzzing table: module/class of every @FuzzTest");
    }

    @Test
    void theReplayRunnerTheReadmeNamesIsTheResolverExecMain() throws Exception {
        String readme = readme();
        assertTrue(readme.contains("-pl resolver compile exec:java -Dexec.args="), "README shows the replay runner");
        String resolverPom = Files.readString(root().resolve("resolver/pom.xml"), StandardCharsets.UTF_8);
        Matcher main = Pattern.compile("<mainClass>([\\w.]+)</mainClass>").matcher(resolverPom);
        assertTrue(main.find(), "resolver/pom.xml configures exec:java's main class");
        Class<?> replay = Class.forName(main.group(1));
        assertEquals("main", replay.getMethod("main", String[].class).getName());
    }

    @Test
    void editZonesLiveExampleWorks() throws Exception {
        List<String> commands = shellLines(section(readme(), "## Edit zones live"));
        assertTrue(commands.stream().anyMatch(c -> c.contains("namuctl.jar zone create")), commands.toString());
        Path data = temp.resolve("data");
        try (NamudServer namud = NamudServer.start("--listen", ToolPorts.listen(), "--api", "127.0.0.1:0", "--no-metrics",
                "--data", data.toString(), "--no-recursion")) {
            String port = Integer.toString(namud.boundAddresses().get(0).getPort());
            String api = "http://127.0.0.1:" + namud.admin().apiAddress().orElseThrow().getPort();
            String lastOutput = "";
            for (String command : commands) {
                List<String> argv = new ArrayList<>(Arrays.asList(command.split(" +")));
                if (command.startsWith("java -jar admin-cli/target/namuctl.jar ")) {
                    List<String> args = new ArrayList<>(argv.subList(3, argv.size()));
                    args.addAll(List.of("--server", api, "--data", data.toString()));
                    StringWriter out = new StringWriter();
                    StringWriter err = new StringWriter();
                    int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
                    assertEquals(0, exit, command + "\n" + out + err);
                    lastOutput = out.toString();
                } else if (command.startsWith("dig ")) {
                    assumeTrue(ToolLocator.find("dig").isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
                    argv.replaceAll(a -> a.replace(QUICK_START_PORT, port));
                    argv.set(0, ToolLocator.find("dig").orElseThrow().toString());
                    ToolRun run = ToolRun.run(LIMIT, argv);
                    assertEquals(0, run.exitCode(), run.transcript());
                    lastOutput = run.stdout();
                } else {
                    throw new AssertionError("the test does not know how to run: " + command);
                }
            }
            assertEquals("192.168.1.50", lastOutput.trim(), "the example's last dig prints the new address");
        }
    }

    private static Set<String> flags(String text) {
        return FLAG.matcher(text).results().map(m -> m.group(1)).collect(Collectors.toCollection(TreeSet::new));
    }
}
