package dev.namu.cli.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.cli.Namuctl;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's namuctl section is tested against namuctl itself: the README lists every command
 * namuctl has (from picocli's model of it) with exactly its flags and arguments, and the worked
 * {@code zone check} example prints what the README says it prints, with the exit status it states.
 */
class ReadmeNamuctlTest {

    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");

    @TempDir
    Path temp;

    private static String namuctlSection() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path readme = p.resolve("README.md");
            if (Files.isRegularFile(readme) && Files.isDirectory(p.resolve("admin-cli"))) {
                String text = Files.readString(readme, StandardCharsets.UTF_8);
                int start = text.indexOf("\n### namuctl\n");
                assertTrue(start >= 0, "README has a '### namuctl' section");
                int end = text.indexOf("\n## ", start + 1);
                return text.substring(start, end < 0 ? text.length() : end);
            }
        }
        throw new IllegalStateException("README.md not found above " + dir);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run namuctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A namuctl command with no subcommands, from picocli's model of namuctl. */
    private record Leaf(String path, Set<String> flags, List<String> parameters) {
    }

    private static void leaves(CommandLine command, String path, Map<String, Leaf> out) {
        if (command.getSubcommands().isEmpty()) {
            Set<String> flags = new TreeSet<>();
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (!option.usageHelp() && !option.versionHelp()) {
                    flags.add(option.longestName());
                }
            }
            List<String> parameters = command.getCommandSpec().positionalParameters().stream()
                    .map(p -> p.paramLabel()).toList();
            out.put(path, new Leaf(path, flags, parameters));
            return;
        }
        command.getSubcommands().forEach((name, sub) -> leaves(sub, path.isEmpty() ? name : path + " " + name, out));
    }

    @Test
    void theReadmeDocumentsEveryCommandWithExactlyItsFlagsAndArguments() throws IOException {
        String section = namuctlSection();
        Map<String, Leaf> commands = new TreeMap<>();
        leaves(new CommandLine(new Namuctl()), "", commands);

        // Flags shared by the commands that talk to namud are documented once, in their own table.
        Set<String> common = new TreeSet<>();
        Matcher commonRow = Pattern.compile("(?m)^\\| `(--[a-z][a-z0-9-]*)[^`]*` \\|").matcher(section);
        while (commonRow.find()) {
            common.add(commonRow.group(1));
        }

        Matcher row = Pattern.compile("(?m)^\\| `([a-z][a-z ]*[a-z])((?: [^`]*)?)` \\|").matcher(section);
        Set<String> documented = new TreeSet<>();
        while (row.find()) {
            String path = row.group(1);
            String arguments = row.group(2);
            documented.add(path);
            Leaf leaf = commands.get(path);
            assertTrue(leaf != null, "README documents 'namuctl " + path + "', which namuctl does not have: "
                    + commands.keySet());
            Set<String> own = new TreeSet<>(leaf.flags());
            own.removeAll(common);
            assertEquals(own, flags(arguments), "flags of namuctl " + path + " (common ones: " + common + ")");
            Set<String> shared = new TreeSet<>(leaf.flags());
            shared.retainAll(common);
            assertTrue(shared.isEmpty() || shared.equals(common),
                    "namuctl " + path + " has only some of the common flags " + common + ": " + shared);
            for (String parameter : leaf.parameters()) {
                assertTrue(arguments.contains(parameter), "README row for namuctl " + path + " names " + parameter
                        + ": " + row.group());
            }
            Run help = namuctl(concat(Arrays.asList(path.split(" ")), "--help"));
            assertEquals(0, help.exit(), row.group() + "\n" + help.err());
        }
        Set<String> undocumented = new TreeSet<>(commands.keySet());
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "namuctl commands the README's namuctl table does not list");
        assertTrue(common.containsAll(Set.of("--server", "--token")), "README documents the common flags: " + common);
        Run top = namuctl("--help");
        assertEquals(0, top.exit(), top.err());
        assertTrue(top.out().contains("--version"), top.out());
    }

    @Test
    void theZoneCheckExamplePrintsWhatTheReadmeShows() throws IOException {
        String section = namuctlSection();
        int block = section.indexOf("$ cat bad.test.zone\n");
        assertTrue(block >= 0, "README shows the example zone file");
        List<String> lines = Arrays.asList(section.substring(block).split("\n"));
        int run = lines.indexOf("$ java -jar admin-cli/target/namuctl.jar zone check bad.test.zone");
        assertTrue(run > 0, "README shows the zone check command");
        List<String> zone = lines.subList(1, run);
        List<String> expected = new ArrayList<>();
        for (String line : lines.subList(run + 1, lines.size())) {
            if (line.startsWith("```")) {
                break;
            }
            expected.add(line);
        }
        Path file = temp.resolve("bad.test.zone");
        Files.writeString(file, String.join("\n", zone) + "\n", StandardCharsets.UTF_8);
        Run check = namuctl("zone", "check", file.toString());
        assertEquals(1, check.exit(), "README: exit 1 when the zone has problems\n" + check.out() + check.err());
        List<String> printed = Arrays.stream((check.out() + check.err()).split("\n"))
                .filter(l -> !l.isBlank())
                .map(l -> l.replace(file.toString(), "bad.test.zone"))
                .toList();
        assertEquals(expected, printed);
        assertFalse(check.err().contains("Exception"), check.err());

        Run usage = namuctl("zone", "check");
        assertEquals(2, usage.exit(), "README: exit 2 for a usage error");
    }

    private static String[] concat(List<String> path, String last) {
        List<String> all = new ArrayList<>(path);
        all.add(last);
        return all.toArray(String[]::new);
    }

    private static Set<String> flags(String text) {
        Set<String> flags = new TreeSet<>();
        Matcher m = FLAG.matcher(text);
        while (m.find()) {
            flags.add(m.group(1));
        }
        return flags;
    }
}
