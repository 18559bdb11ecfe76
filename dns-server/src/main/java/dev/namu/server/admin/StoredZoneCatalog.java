package dev.namu.server.admin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The file {@code stored-zones} in the data directory: the origins of the zones in the store, one a
 * line, so that namud knows which names are the store's before the store has opened (opening it
 * takes longer than starting to answer). namud keeps it a superset of the stored zones: a zone is
 * listed before the transaction that creates it and unlisted after the one that deletes it, so a
 * crash between the two leaves a name listed, never missing. A file that cannot be read as such a
 * list is no list at all.
 */
public final class StoredZoneCatalog {
  private static final Logger log = LoggerFactory.getLogger(StoredZoneCatalog.class);

  public static final String FILE = "stored-zones";
  private static final String HEADER =
      "# Zones in namud's store (namu.mv.db), one a line: written by namud, read at start before the"
          + " store opens.\n";

  private final Path file;

  public StoredZoneCatalog(Path dataDir) {
    this.file = dataDir.resolve(FILE);
  }

  public Path file() {
    return file;
  }

  /** The listed origins (lower case), or empty when there is no readable, well-formed list. */
  public Optional<Set<Name>> read() {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.debug("cannot read {}: {}", file, e.toString());
      return Optional.empty();
    }
    Set<Name> origins = new HashSet<>();
    for (String line : lines) {
      String text = line.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      try {
        Name name = Name.fromString(text);
        if (!name.isAbsolute()) {
          return malformed(text);
        }
        origins.add(name.canonicalize());
      } catch (TextParseException e) {
        return malformed(text);
      }
    }
    return Optional.of(Set.copyOf(origins));
  }

  private Optional<Set<Name>> malformed(String line) {
    log.warn("{} is not a list of zone names (\"{}\"); it is ignored and rewritten once the store is open",
        file, line);
    return Optional.empty();
  }

  /**
   * Replaces the list, atomically (a reader sees the old list or the new one). When it cannot be
   * written the file is removed, since a stale list could miss a zone; namud then treats every name
   * as possibly stored at its next start, until the store is open.
   */
  public void write(Collection<Name> origins) {
    try {
      replace(origins);
    } catch (IOException e) {
      log.warn("cannot write {} ({}); until the store is open at the next start, namud will answer"
          + " SERVFAIL for every name", file, e.toString());
      try {
        Files.deleteIfExists(file.resolveSibling(FILE + ".tmp"));
        Files.deleteIfExists(file);
      } catch (IOException again) {
        log.debug("cannot remove {}: {}", file, again.toString());
      }
    }
  }

  /**
   * As {@link #write}, creating the data directory if needed, quietly: for a store not made yet,
   * whose own opening reports an unusable directory.
   */
  void writeIfPossible(Collection<Name> origins) {
    try {
      Files.createDirectories(file.getParent());
      replace(origins);
    } catch (IOException e) {
      log.debug("cannot write {}: {}", file, e.toString());
    }
  }

  private void replace(Collection<Name> origins) throws IOException {
    StringBuilder text = new StringBuilder(HEADER);
    for (Name n : new TreeSet<>(origins)) {
      text.append(n).append('\n');
    }
    Path tmp = file.resolveSibling(FILE + ".tmp");
    // made afresh with 0600, like every file namud keeps in its data directory
    Files.deleteIfExists(tmp);
    try (var out = Files.newByteChannel(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
