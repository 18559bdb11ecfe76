package dev.namu.server.peers;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds an installed executable the way {@code which} does, also looking in the sbin directories
 * where Debian puts daemons (nsd, knotd) and which are not on a normal user's PATH.
 */
public final class ToolLocator {

    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

    private ToolLocator() {
    }

    /** The executable named {@code name}, or empty when it is not installed. */
    public static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(EXTRA_DIRS);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The message a test skips with when {@code name} is missing. */
    public static String missing(String name, String debianPackage) {
        return name + " is not installed (Debian package " + debianPackage + "; .ci/run installs it): skipping";
    }
}
