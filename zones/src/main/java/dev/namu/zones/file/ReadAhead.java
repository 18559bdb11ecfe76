package dev.namu.zones.file;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The parts of a big zone file read ahead by {@link ChunkReader}s, one thread each, while the
 * parser reads the first part: the file is cut at line starts into parts of about equal size.
 * The threads are started here and end on their own (or soon after {@link #cancel}); nothing is
 * shared with them but the file's bytes, which nobody writes.
 */
final class ReadAhead {

  /**
   * How a file is read ahead.
   *
   * @param parts how many parts a file is cut into (the parser reads the first); 1 reads none ahead
   * @param minPartBytes the smallest part worth a thread: a small file is read by the parser alone
   */
  record Plan(int parts, int minPartBytes) {

    /** No reading ahead. */
    static final Plan NONE = new Plan(1, Integer.MAX_VALUE);

    /**
     * One part per processor, each at least 1 MiB (about 40,000 records: below that the thread
     * and the JIT-cold second reader cost more than they save).
     */
    static Plan perProcessor() {
      return new Plan(Math.min(8, Runtime.getRuntime().availableProcessors()), 1 << 20);
    }

    Plan {
      if (parts < 1 || minPartBytes < 1) {
        throw new IllegalArgumentException("parts and minPartBytes must be positive");
      }
    }
  }

  private final int[] starts;
  private final FutureTask<ChunkReader.Result>[] tasks;
  private volatile boolean cancelled;
  private int next;
  private long waitedNanos;

  @SuppressWarnings("unchecked")
  private ReadAhead(int[] starts) {
    this.starts = starts;
    this.tasks = new FutureTask[starts.length];
  }

  /**
   * Starts reading ahead the parts of {@code b[from, end)} ({@code from} a line start) after the
   * first, by {@code plan}, each under {@code assumed}; null when the text is too small for it.
   */
  static ReadAhead start(byte[] b, int from, int end, ChunkReader.Assumed assumed,
      Plan plan, String shown) {
    int parts = (int) Math.min(plan.parts(), (end - (long) from) / plan.minPartBytes());
    if (parts < 2) {
      return null;
    }
    int[] starts = new int[parts - 1];
    int count = 0;
    long size = (end - (long) from) / parts;
    for (int p = 1; p < parts; p++) {
      int at = lineStartFrom(b, (int) (from + size * p), end);
      if (at < end && (count == 0 || at > starts[count - 1])) {
        starts[count++] = at;
      }
    }
    if (count == 0) {
      return null;
    }
    ReadAhead ahead = new ReadAhead(Arrays.copyOf(starts, count));
    for (int k = 0; k < count; k++) {
      int start = ahead.starts[k];
      int stop = k + 1 < count ? ahead.starts[k + 1] : end;
      ahead.tasks[k] = new FutureTask<>(
          () -> ChunkReader.read(b, start, stop, assumed, () -> ahead.cancelled));
    }
    for (int k = 0; k < count; k++) {
      Thread t = new Thread(ahead.tasks[k], "zone-read-" + (k + 1) + " " + shown);
      t.setDaemon(true); // a stuck read must not keep the JVM alive
      t.start();
    }
    return ahead;
  }

  /** Bounds the lines skipped to find a line that names its owner. */
  private static final int MAX_SKIPPED_LINES = 64;

  /**
   * The first line start at or after {@code at} (after a line feed) whose line names its owner,
   * or failing that within a few lines the first line start; {@code end} when there is none. A
   * reader cannot read a line with a blank owner (it is the owner of the line before) first.
   */
  private static int lineStartFrom(byte[] b, int at, int end) {
    int first = nextLineStart(b, at, end);
    int i = first;
    for (int skipped = 0; i < end && skipped < MAX_SKIPPED_LINES; skipped++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ';') {
        return i;
      }
      i = nextLineStart(b, i + 1, end);
    }
    return first;
  }

  private static int nextLineStart(byte[] b, int at, int end) {
    if (at > 0 && at <= end && b[at - 1] == '\n') {
      return at;
    }
    for (int i = at; i < end; i++) {
      if (b[i] == '\n') {
        return i + 1;
      }
    }
    return end;
  }

  /** The start of the next part not yet taken, or -1 when there is none. */
  int nextStart() {
    return next < starts.length ? starts[next] : -1;
  }

  /**
   * The result of the next part when the parser is at its start {@code pos}; null (the parser
   * reads on itself) when it is past the start (an entry ran over it) or the reader failed.
   */
  ChunkReader.Result take(int pos) {
    while (next < starts.length && starts[next] < pos) {
      next++;
    }
    if (next == starts.length || starts[next] != pos) {
      return null;
    }
    FutureTask<ChunkReader.Result> task = tasks[next++];
    try {
      if (!task.isDone()) {
        long t0 = System.nanoTime();
        ChunkReader.Result result = task.get();
        waitedNanos += System.nanoTime() - t0;
        return result;
      }
      return task.get();
    } catch (ExecutionException e) {
      return null; // the parser reads the part itself and meets whatever stopped the reader
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** How long the parser waited for parts not yet read when it reached them. */
  long waitedNanos() {
    return waitedNanos;
  }

  /** Tells the readers to stop: their parts will not be taken. */
  void cancel() {
    cancelled = true;
  }
}
