package dev.namu.server.admin;

import dev.namu.server.config.AdminConfig;
import dev.namu.server.api.ApiToken;
import dev.namu.zones.store.jdbc.JdbcStoreConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * namud's hold on its data directory, taken before anything else starts and kept while it runs. The
 * directory holds the TSIG secrets (in the store) and the API token, so namud makes it 0700 and its
 * own files 0600 (Java has no umask; files H2 makes later inside a 0700 directory are out of others'
 * reach whatever their mode), and warns when it finds them open to other users. One namud at a time:
 * a lock on {@code namud.lock}, which names the holder's pid, as Knot and BIND refuse a second
 * instance. And a store file that has gone (missing or emptied) while {@code stored-zones} still
 * lists zones stops namud: opening it would make a new, empty store that silently drops them.
 */
public final class DataDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

  static final String LOCK_FILE = "namud.lock";
  private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

  private final Optional<FileChannel> lock;

  private DataDirectory(Optional<FileChannel> lock) {
    this.lock = lock;
  }

  /**
   * Claims the data directory of {@code config}: creates it (0700) when missing, takes its lock,
   * checks that its store has not been lost, and warns when other users may read it. With
   * {@code --store-url} the directory holds the API token only: it is created, nothing more.
   *
   * @throws IllegalStateException with a one-line reason when the directory cannot be used
   */
  public static DataDirectory claim(AdminConfig config) {
    Path dir = config.dataDir();
    Path absolute = dir.toAbsolutePath().normalize();
    String token = config.api().isPresent() ? ", admin API token " + absolute.resolve(ApiToken.FILE_NAME) : "";
    if (config.storeUrl().isPresent()) {
      if (config.api().isPresent()) {
        create(dir);
      }
      log.info("zone store {}{}", JdbcStoreConfig.shown(config.storeUrl().get()), token);
      return new DataDirectory(Optional.empty());
    }
    boolean fresh = create(dir);
    DataDirectory claimed = new DataDirectory(Optional.of(lock(dir)));
    try {
      checkStore(dir, fresh);
      warnIfReadableByOthers(dir);
      log.info("data directory {}: zone store {}{}", absolute, PendingStoredZones.STORE_FILE, token);
      return claimed;
    } catch (RuntimeException e) {
      claimed.close();
      throw e;
    }
  }

  /** Creates the directory 0700 when it does not exist; true when it did not. */
  private static boolean create(Path dir) {
    if (Files.isDirectory(dir)) {
      return false;
    }
    if (Files.exists(dir)) {
      throw new IllegalStateException("data directory " + dir + " is not a directory");
    }
    try {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.createDirectory(dir, attribute(OWNER_DIRECTORY));
      return true;
    } catch (FileAlreadyExistsException raced) {
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create data directory " + dir + ": " + reason(e)
          + "; give a writable --data DIR");
    }
  }

  /**
   * Locks {@code namud.lock} (released by the OS when the process ends, however it ends) and writes
   * the pid into it for the next namud to name. The file is kept at close: removing it could let two
   * processes lock two different files of the same name.
   */
  private static FileChannel lock(Path dir) {
    Path file = dir.resolve(LOCK_FILE);
    FileChannel channel;
    try {
      channel = openLockFile(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write in data directory " + dir + ": " + reason(e)
          + "; give a writable --data DIR");
    }
    try {
      FileLock held = channel.tryLock();
      if (held == null) {
        String holder = holder(file);
        channel.close();
        throw new IllegalStateException("another namud" + holder + " is using data directory " + dir
            + "; stop it first, or give this one another --data DIR");
      }
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
      return channel;
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new IllegalStateException("data directory " + dir + " is already in use by this process");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new IllegalStateException("cannot lock " + file + ": " + reason(e));
    }
  }

  private static FileChannel openLockFile(Path file) throws IOException {
    try {
      return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          StandardOpenOption.READ), attribute(OWNER_FILE));
    } catch (FileAlreadyExistsException e) {
      return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }
  }

  /** " (pid N)" from the lock file, or nothing when it cannot be read yet. */
  private static String holder(Path file) {
    try {
      String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return pid.matches("\\d+") ? " (pid " + pid + ")" : "";
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Stops namud when {@code stored-zones} lists zones whose store file is missing or empty: H2 would
   * make a new, empty store and every one of those zones would answer REFUSED. A data directory that
   * never had a store gets one: its (empty) list and an empty 0600 store file, which H2 fills.
   */
  private static void checkStore(Path dir, boolean fresh) {
    Path store = dir.resolve(PendingStoredZones.STORE_FILE);
    long size;
    try {
      size = Files.size(store);
    } catch (NoSuchFileException e) {
      size = -1;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read zone store " + store + ": " + reason(e));
    }
    if (size > 0) {
      return;
    }
    StoredZoneCatalog catalog = new StoredZoneCatalog(dir);
    Optional<Set<Name>> listed = fresh ? Optional.of(Set.of()) : catalog.read();
    int zones = listed.map(Set::size).orElse(0);
    if (zones > 0) {
      throw new IllegalStateException("zone store " + store + " is " + (size < 0 ? "missing" : "empty")
          + " but " + catalog.file() + " lists " + zones + " stored zone(s); restore the store from a"
          + " backup, or delete " + catalog.file().getFileName() + " to start with an empty store");
    }
    if (size == 0 && listed.isEmpty()) {
      // no list to tell a store that was emptied from one namud made and was killed before filling
      throw new IllegalStateException("zone store " + store + " is empty; restore it from a backup, or"
          + " delete it to start with an empty store");
    }
    // Listed first, so that a namud killed from here on still finds the new store's list.
    catalog.write(Set.of());
    if (size < 0) {
      try {
        Files.createFile(store, attribute(OWNER_FILE));
      } catch (FileAlreadyExistsException raced) {
        // H2 (of another process) made it: the lock says that cannot be, but nothing is lost
      } catch (IOException e) {
        throw new IllegalStateException("cannot create zone store " + store + ": " + reason(e));
      }
    }
  }

  /**
   * One line when other users can reach what the directory holds (the store has the TSIG secrets,
   * the token file the API's key): the directory open to group or others, with each file in it they
   * may read. Inside a directory closed to them, a file's own mode does not matter (H2 makes its
   * trace and temporary files with the JVM's default mode).
   */
  private static void warnIfReadableByOthers(Path dir) {
    List<String> open = new ArrayList<>();
    try {
      Set<PosixFilePermission> dirMode = Files.getPosixFilePermissions(dir);
      if (!openToOthers(dirMode)) {
        return;
      }
      open.add(dir + " " + octal(dirMode));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
          if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
            open.add(p.getFileName() + " " + octal(mode));
          }
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      return; // no POSIX modes here (or the directory changed under us): nothing to say
    }
    log.warn("data directory {} can be read by other users ({}), and it holds the TSIG secrets and the"
        + " API token; run: chmod -R go= {}", dir, String.join(", ", open), dir);
  }

  private static boolean openToOthers(Set<PosixFilePermission> mode) {
    return mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.GROUP_EXECUTE)
        || mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.OTHERS_EXECUTE);
  }

  private static String octal(Set<PosixFilePermission> mode) {
    int bits = 0;
    for (PosixFilePermission p : mode) {
      bits |= 1 << (8 - p.ordinal());
    }
    return String.format(Locale.ROOT, "%04o", bits);
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> mode) {
    return PosixFilePermissions.asFileAttribute(mode);
  }

  /** The operating system's words for an I/O failure ("permission denied"), not Java's class name. */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason().toLowerCase(Locale.ROOT);
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing the lock file: {}", e.toString());
    }
  }

  /** Releases the lock; the next namud may take the directory. */
  @Override
  public void close() {
    lock.ifPresent(DataDirectory::closeQuietly);
  }
}
