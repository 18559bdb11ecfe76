package dev.namu.cli.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.cli.Namuctl;
import dev.namu.cli.Run;
import java.io.IOException;
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
 * namuctl has (from picocli's model of it) with exactly its flags and arguments, every namuctl
 * command written anywhere in the README parses, and the worked {@code zone check} example prints
 * what the README says it prints, with the exit status it states.
 */
class ReadmeNamuctlTest {

    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");

    @TempDir
    Path temp;

    private static String namuctlSection() throws IOException {
        String text = readme();
        int start = text.indexOf("\n### namuctl\n");
        assertTrue(start >= 0, "README has a '### namuctl' section");
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static Run namuctl(String... args) {
        return Run.inProcess(args);
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

        Matcher row = Pattern.compile("(?m)^\\| `([a-z][a-z -]*[a-z])((?: [^`]*)?)` \\|").matcher(section);
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
            assertEquals(0, help.code(), row.group() + "\n" + help.err());
        }
        Set<String> undocumented = new TreeSet<>(commands.keySet());
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "namuctl commands the README's namuctl table does not list");
        assertTrue(common.containsAll(Set.of("--server", "--token")), "README documents the common flags: " + common);
        Run top = namuctl("--help");
        assertEquals(0, top.code(), top.err());
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
        assertEquals(1, check.code(), "README: exit 1 when the zone has problems\n" + check.out() + check.err());
        List<String> printed = Arrays.stream((check.out() + check.err()).split("\n"))
                .filter(l -> !l.isBlank())
                .map(l -> l.replace(file.toString(), "bad.test.zone"))
                .toList();
        assertEquals(expected, printed);
        assertFalse(check.err().contains("Exception"), check.err());

        Run usage = namuctl("zone", "check");
        assertEquals(2, usage.code(), "README: exit 2 for a usage error");
    }

    /**
     * Every namuctl command written in the README, in a code block or inline code, with
     * {@code namuctl}, {@code java -jar admin-cli/target/namuctl.jar} or the launcher in front, parses as namuctl
     * would parse it (picocli's parser, no server): a renamed command or flag cannot linger in the
     * text. Placeholders such as {@code NAME} parse as the values they stand for; the synopsis
     * {@code namuctl.jar COMMAND ...} is the one line that names no command.
     */
    @Test
    void everyNamuctlCommandInTheReadmeParses() throws IOException {
        List<List<String>> commands = readmeCommands(readme());
        assertTrue(commands.size() >= 15, "found the README's namuctl commands: " + commands);
        assertTrue(commands.contains(List.of("cache", "flush", "[NAME]")), commands.toString());
        List<String> failures = new ArrayList<>();
        for (List<String> args : commands) {
            if (args.equals(List.of("COMMAND", "..."))) {
                continue;
            }
            try {
                CommandLine.ParseResult parsed = new CommandLine(new Namuctl()).parseArgs(args.toArray(String[]::new));
                while (parsed.hasSubcommand()) {
                    parsed = parsed.subcommand();
                }
                if (!parsed.commandSpec().subcommands().isEmpty() && !parsed.isUsageHelpRequested()) {
                    failures.add("namuctl " + String.join(" ", args) + ": names a group of commands, not a command");
                }
            } catch (CommandLine.ParameterException e) {
                failures.add("namuctl " + String.join(" ", args) + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), failures, "README commands namuctl does not accept");
    }

    @Test
    void aCommandNamuctlDoesNotHaveIsFound() {
        List<List<String>> found = readmeCommands("See `namuctl status` and\n```\n$ namuctl zone\nlist --json | jq\n```\n"
                + "`java -jar admin-cli/target/namuctl.jar record add z 'a b' TXT \"x y\" > f && namuctl key list`");
        assertEquals(List.of(List.of("status"), List.of("zone"), List.of("record", "add", "z", "a b", "TXT", "x y"),
                List.of("key", "list")), found);
        assertThrows(CommandLine.ParameterException.class,
                () -> new CommandLine(new Namuctl()).parseArgs(found.get(0).toArray(String[]::new)));
    }

    private static final Pattern CODE = Pattern.compile("(?s)```[^\\n]*\\n(.*?)```|`([^`]+)`");
    private static final Pattern INVOCATION =
            Pattern.compile("(?:java -jar admin-cli/target/namuctl\\.jar|admin-cli/src/main/scripts/namuctl"
                    + "|(?<![\\w./-])namuctl)(?=[ \\t])");

    /** The argument lists of the namuctl commands in code of a Markdown text. */
    private static List<List<String>> readmeCommands(String markdown) {
        List<List<String>> commands = new ArrayList<>();
        Matcher code = CODE.matcher(markdown);
        while (code.find()) {
            // a code block is read line by line; inline code may wrap in the text, so its lines are joined
            String text = code.group(1) != null ? code.group(1) : code.group(2).replace('\n', ' ');
            for (String line : text.split("\n")) {
                Matcher m = INVOCATION.matcher(line);
                while (m.find()) {
                    List<String> args = shellWords(line.substring(m.end()));
                    if (!args.isEmpty()) {
                        commands.add(args);
                    }
                }
            }
        }
        return commands;
    }

    /** Shell words up to the end of the simple command (a pipe, redirection, ;, &&, a parenthesis). */
    private static List<String> shellWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if ("|&;<>()`".indexOf(c) >= 0) {
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static String readme() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path readme = p.resolve("README.md");
            if (Files.isRegularFile(readme) && Files.isDirectory(p.resolve("admin-cli"))) {
                return Files.readString(readme, StandardCharsets.UTF_8);
            }
        }
        throw new IllegalStateException("README.md not found above " + dir);
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
