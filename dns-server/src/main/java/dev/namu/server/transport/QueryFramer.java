package dev.namu.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a TCP connection's bytes into DNS messages, each after its two-byte length (RFC 1035 4.2.2,
 * RFC 7766 8), and closes the connection when a message does not arrive whole within its deadline
 * from its first byte: the idle timer alone restarts on every byte, so a client sending a byte now
 * and then would hold the connection forever. One instance per connection.
 */
final class QueryFramer extends LengthFieldBasedFrameDecoder {
  private static final Logger log = LoggerFactory.getLogger(QueryFramer.class);

  /** The largest message and its length field: every length a client can write gets through. */
  private static final int MAX_FRAME = 65535 + 2;

  private final TcpConnection connection;
  private final long deadlineNanos;
  private ScheduledFuture<?> deadline;
  private long frames;

  QueryFramer(TcpConnection connection, Duration deadline) {
    super(MAX_FRAME, 0, 2, 0, 2);
    this.connection = connection;
    this.deadlineNanos = deadline.toNanos();
  }

  @Override
  protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
    Object frame = super.decode(ctx, in);
    if (frame != null) {
      frames++;
    }
    return frame;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    connection.heard();
    long before = frames;
    super.channelRead(ctx, msg);
    if (actualReadableBytes() == 0) {
      cancelDeadline();
    } else if (deadline == null || frames != before) {
      // a message has begun (or a new one, after those completed in this read): its clock starts
      cancelDeadline();
      deadline =
          ctx.executor()
              .schedule(
                  () -> {
                    log.debug(
                        "TCP {}: query not whole {} ms after its first byte, closing",
                        ctx.channel().remoteAddress(),
                        TimeUnit.NANOSECONDS.toMillis(deadlineNanos));
                    ctx.close();
                  },
                  deadlineNanos,
                  TimeUnit.NANOSECONDS);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    cancelDeadline();
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
