package dev.namu.zones.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * Reads a zone file whole, refusing what is not one before reading it: a device ({@code /dev/zero}
 * never ends), a FIFO (opening it waits for a writer), a directory, or a file bigger than
 * {@link #MAX_BYTES}. Each refusal is one {@link IOException} whose message says why.
 */
public final class ZoneFileBytes {

  /**
   * The biggest zone file read: about 25 million records of a plain zone. namud holds a zone's
   * records in memory, so a bigger file would exhaust the heap before it could be served.
   */
  public static final long MAX_BYTES = 1L << 30;

  private ZoneFileBytes() {}

  /**
   * The file's bytes; an IOException whose message says why for the user ("no such file", "not a
   * regular file ...") when it is not a zone file to read.
   */
  public static byte[] read(Path file) throws IOException {
    check(file);
    try (InputStream in = Files.newInputStream(file)) {
      // the size can change after the check (or lie, as in /proc): read no more than the bound
      byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new IOException(tooBig(bytes.length));
      }
      return bytes;
    } catch (AccessDeniedException e) {
      throw new IOException("permission denied", e);
    } catch (FileSystemException e) {
      throw new IOException(e.getReason() != null ? e.getReason() : e.toString(), e);
    }
  }

  /**
   * Throws an IOException with a message for the user when {@code file} is not a zone file to
   * read (missing, not a regular file, too big), without opening it.
   */
  public static void check(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException("no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException(Files.isDirectory(file)
          ? "it is a directory, not a zone file"
          : "not a regular file (a device or a FIFO); a zone file must be a regular file");
    }
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException(tooBig(Files.size(file)));
    }
  }

  private static String tooBig(long size) {
    return "the file is " + size + " bytes; zone files are read up to " + MAX_BYTES + " bytes (1 GiB)";
  }
}
