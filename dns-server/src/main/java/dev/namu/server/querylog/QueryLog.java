package dev.namu.server.querylog;

import dev.namu.resolver.UpstreamTrace;
import dev.namu.server.intake.Transport;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query log: the event loops hand each reply's {@link QueryEvent} to a bounded queue, never
 * waiting (a full queue drops the entry and counts it, so a slow or stalled disk never slows an
 * answer), and one thread takes them in batches and writes them as JSON lines, flushing when the
 * queue runs dry and at least once a second, and at close.
 *
 * <p>The queue is a lock-free many-producers, one-consumer array (JCTools): with a locked queue the
 * event loops and the writer took turns at its lock on every reply, and a loop that found it held
 * parked and was woken by a system call, which cost more than writing the line.
 */
public final class QueryLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueryLog.class);
  private static final long FLUSH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** How long the writer sleeps when it finds the queue empty: lines reach the file this late. */
  private static final long IDLE_MILLIS = 10;
  /** Entries taken from the queue at once, under one acquisition of its lock. */
  private static final int BATCH = 1024;
  /** How long close waits for the last lines (a FIFO nobody reads would hold them for ever). */
  private static final long CLOSE_WAIT_MILLIS = 5_000;
  /** Header bytes: a reply shorter than this is no reply. */
  private static final int HEADER = 12;

  private final QueryLogConfig config;
  private final MpscVarHandleArrayQueue<QueryEvent> queue;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder written = new LongAdder();
  private final Thread writer;
  private volatile boolean closing;

  private QueryLog(QueryLogConfig config) {
    this.config = config;
    this.queue = new MpscVarHandleArrayQueue<>(config.queueCapacity());
    this.writer = new Thread(this::drain, "namu-query-log");
    this.writer.setDaemon(true);
  }

  /**
   * Starts the log of a config.
   *
   * @throws IllegalArgumentException with a one-line reason when the file cannot be written
   */
  public static QueryLog start(QueryLogConfig config) {
    if (!config.enabled()) {
      throw new IllegalArgumentException("the query log is off");
    }
    if (!config.stdout()) {
      Path file = config.file().orElseThrow();
      problem(file).ifPresent(problem -> {
        throw new IllegalArgumentException("--query-log " + file + ": " + problem);
      });
    }
    QueryLog queryLog = new QueryLog(config);
    queryLog.writer.start();
    return queryLog;
  }

  /**
   * Why namud could not write this log file, found at start (and by {@code namud --check}) with a
   * line that says what to do, not at the first query; empty when it can.
   */
  public static Optional<String> problem(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (Files.isDirectory(file)) {
      return Optional.of("is a directory; give a file");
    }
    if (dir == null || !Files.isDirectory(dir)) {
      return Optional.of("directory " + dir + " does not exist");
    }
    if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(dir)) {
      return Optional.of("not writable by namud");
    }
    return Optional.empty();
  }

  /**
   * Records one reply; never blocks. Called on the event loops (and the resolver's threads).
   *
   * @param reply the reply's bytes, read and left as they are
   * @param startedNanos {@link System#nanoTime()} when its packet arrived
   */
  public void record(ByteBuf reply, int opcode, int rcode, Transport transport,
      InetSocketAddress client, String source, long startedNanos) {
    record(reply, opcode, rcode, transport, client, source, startedNanos, null);
  }

  /** As above, for a reply the resolution {@code upstream} traced made (null: none). */
  public void record(ByteBuf reply, int opcode, int rcode, Transport transport,
      InetSocketAddress client, String source, long startedNanos, UpstreamTrace upstream) {
    record(reply, opcode, rcode, transport, client, source, startedNanos, upstream, 1, reply.readableBytes());
  }

  /**
   * A zone transfer of {@code messages} messages, {@code bytes} in all, once its last is written:
   * one line, its question from the {@code first} message.
   */
  public void recordTransfer(ByteBuf first, int opcode, int rcode, Transport transport,
      InetSocketAddress client, String source, long startedNanos, int messages, long bytes) {
    record(first, opcode, rcode, transport, client, source, startedNanos, null, messages, bytes);
  }

  private void record(ByteBuf reply, int opcode, int rcode, Transport transport, InetSocketAddress client,
      String source, long startedNanos, UpstreamTrace upstream, int messages, long size) {
    long latency = (System.nanoTime() - startedNanos) / 1_000;
    int from = reply.readerIndex();
    int length = reply.readableBytes();
    if (length < HEADER) {
      return;
    }
    int flags = reply.getUnsignedShort(from + 2);
    byte[] qname = null;
    int qtype = 0;
    if (reply.getUnsignedShort(from + 4) > 0) {
      int end = nameEnd(reply, from + HEADER, from + length);
      if (end > 0 && end + 2 <= from + length) {
        qname = new byte[end - from - HEADER];
        reply.getBytes(from + HEADER, qname);
        qtype = reply.getUnsignedShort(end);
      }
    }
    QueryEvent event = new QueryEvent(System.currentTimeMillis(), client, transport, opcode, rcode,
        flags, qname, qtype, source, latency, size, upstream, messages);
    if (!queue.offer(event)) {
      dropped.increment();
    }
  }

  /**
   * Where the question's name ends (after its root label), or -1. The question is the reply's first
   * name, so it is never compressed (RFC 1035 4.1.4: a pointer points to a prior name).
   */
  private static int nameEnd(ByteBuf b, int at, int limit) {
    while (at < limit) {
      int len = b.getUnsignedByte(at);
      if (len == 0) {
        return at + 1;
      }
      if (len > 63) {
        return -1;
      }
      at += len + 1;
    }
    return -1;
  }

  /** Entries lost: the queue was full, or the file could not be written. */
  public long dropped() {
    return dropped.sum();
  }

  private void drain() {
    QueryLogSink out;
    try {
      out = QueryLogSink.open(config);
    } catch (IOException | RuntimeException e) {
      log.warn("query log {}: cannot open: {}; no queries are logged", config.file().orElseThrow(), e.toString());
      dropAll();
      return;
    }
    QueryLogLine format = new QueryLogLine();
    List<QueryEvent> batch = new ArrayList<>(BATCH);
    long lastFlush = System.nanoTime();
    boolean unflushed = false;
    boolean failing = false;
    while (true) {
      boolean last = closing; // read before draining, so the entries queued before close are written
      batch.clear();
      queue.drain(batch::add, BATCH);
      try {
        for (QueryEvent e : batch) {
          format.format(e);
          out.write(format.bytes(), format.length());
          written.increment();
          unflushed = true;
        }
        long now = System.nanoTime();
        if (unflushed && (batch.isEmpty() || now - lastFlush >= FLUSH_INTERVAL_NANOS)) {
          out.flush();
          unflushed = false;
          lastFlush = now;
        }
        failing = false;
      } catch (IOException | RuntimeException ex) {
        dropped.increment();
        if (!failing) {
          // once per run of failures (a full disk), not once per query
          log.warn("query log {}: write failed: {}; entries are dropped until it works again",
              config.file().orElseThrow(), ex.toString());
          failing = true;
        }
      }
      if (batch.isEmpty() && (last || !idle())) {
        break;
      }
    }
    try {
      out.close();
    } catch (IOException ex) {
      log.warn("query log {}: close failed: {}", config.file().orElseThrow(), ex.toString());
    }
  }

  /** With no file to write: every entry is dropped, and counted, until close. */
  private void dropAll() {
    List<QueryEvent> batch = new ArrayList<>(BATCH);
    while (true) {
      boolean last = closing;
      batch.clear();
      int n = queue.drain(batch::add, BATCH);
      dropped.add(n);
      if (n == 0 && (last || !idle())) {
        return;
      }
    }
  }

  /**
   * Waits a moment with the queue empty; false when interrupted. The writer sleeps rather than
   * waits on the queue: a waiting reader makes every offer of the event loops wake it (a futex
   * call per reply), where a sleeping one lets them add entries with no more than the queue's lock.
   */
  private static boolean idle() {
    try {
      Thread.sleep(IDLE_MILLIS);
      return true;
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Writes the entries queued, flushes and closes the file. Idempotent. */
  @Override
  public void close() {
    closing = true;
    try {
      writer.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      log.warn("query log {}: its writer is stuck (a FIFO nobody reads?); {} entries not written",
          config.file().orElseThrow(), queue.size());
    } else {
      log.info("query log {} closed: {} lines written, {} dropped", config.file().orElseThrow(),
          written.sum(), dropped.sum());
    }
  }
}
