package dev.namu.server.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A directory of zone files laid out as namud's {@code --zones DIR} reads it: every {@code NAME.zone}
 * file is zone NAME. NSD and Knot are configured from the same list so all servers serve the same data.
 */
public record ServedZones(Path dir, List<Name> origins) {

    public ServedZones {
        origins = List.copyOf(origins);
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("no NAME.zone files in " + dir);
        }
    }

    /** The zones in {@code dir}, sorted by file name. */
    public static ServedZones in(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Name> origins = files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".zone"))
                    .sorted()
                    .map(f -> origin(f.substring(0, f.length() - ".zone".length())))
                    .toList();
            return new ServedZones(dir, origins);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list zone directory " + dir, e);
        }
    }

    /** Copies the classpath directory {@code resource} (e.g. "differential") into {@code target}. */
    public static ServedZones copyOfResource(String resource, Path target) {
        URL url = ServedZones.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("test resource directory " + resource + " not found");
        }
        try {
            Path source = Path.of(url.toURI());
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(source)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".zone")).toList()) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
            return in(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + resource + " to " + target, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file that holds zone {@code origin}. */
    public Path file(Name origin) {
        return dir.resolve(fileName(origin));
    }

    /** {@code NAME.zone} for a zone origin, without the trailing dot. */
    public static String fileName(Name origin) {
        String text = origin.toString(true);
        return text + ".zone";
    }

    private static Name origin(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("zone file name " + text + ".zone is not a domain name", e);
        }
    }
}
