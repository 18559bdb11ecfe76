package dev.namu.server.peers;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root (where README.md and the module directories are), found from the test's working directory. */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    public static Path find() {
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("dns-server"))
                    && Files.isDirectory(p.resolve("zones"))) {
                return p;
            }
        }
        throw new IllegalStateException("no project root (README.md beside dns-server/ and zones/) above " + start);
    }
}
