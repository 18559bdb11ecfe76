package dev.namu.server.admin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.store.fs.FileBaseDefault;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code jdbc:h2:fulldisk:/path}) over the real disk whose writes fail as on a
 * full disk, with the operating system's words, while {@link #FULL} is on. H2 makes its own
 * instances of this class by name, so the switch is necessarily static; one test uses it at a time.
 */
public final class FullDiskFileSystem extends FilePathWrapper {
  /** On: every write fails with "No space left on device" (ENOSPC). */
  static final AtomicBoolean FULL = new AtomicBoolean();

  private static final FullDiskFileSystem REGISTERED = new FullDiskFileSystem();

  /** Makes the {@code fulldisk:} prefix known to H2 (once per JVM; again is harmless). */
  static void register() {
    FilePath.register(REGISTERED);
  }

  @Override
  public String getScheme() {
    return "fulldisk";
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    return new Channel(getBase().open(mode));
  }

  private static void check() throws IOException {
    if (FULL.get()) {
      throw new IOException("No space left on device");
    }
  }

  /** Position-relative reads and writes come from {@link FileBaseDefault} through the positional ones. */
  private static final class Channel extends FileBaseDefault {
    private final FileChannel base;

    Channel(FileChannel base) {
      this.base = base;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return base.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      check();
      return base.write(src, position);
    }

    @Override
    public long size() throws IOException {
      return base.size();
    }

    @Override
    protected void implTruncate(long size) throws IOException {
      base.truncate(size);
    }

    @Override
    public void force(boolean metaData) throws IOException {
      check();
      base.force(metaData);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return base.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      base.close();
    }
  }
}
