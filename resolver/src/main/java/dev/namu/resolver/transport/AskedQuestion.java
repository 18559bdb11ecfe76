package dev.namu.resolver.transport;

import java.net.InetSocketAddress;
import java.util.function.IntSupplier;
import org.xbill.DNS.Message;

/**
 * One query as it goes on the wire, and the check of its reply's question name against it.
 *
 * <p>With 0x20 ({@link QuestionCase}) the name goes out in random case, and a reply is taken only
 * when it repeats that case byte for byte. A reply that repeats the name in another case is
 * either a forger's (who guessed ID and port but not the case) or a server's that does not keep
 * case: it is not taken, and {@link #caseChanged()} remembers it was seen, so that a query that
 * gets nothing better fails with {@link #caseMismatch} and its caller can ask that server again
 * without 0x20. Either way the caller's own spelling of the name is written back over the reply's
 * question before it is read (names compare without case, RFC 1034 section 3.1).
 */
final class AskedQuestion {
  private final byte[] asked;
  private final byte[] sent;
  private final int nameEnd;
  private final boolean randomCase;
  /** Set by the receiver thread when a reply repeated the name in another case. */
  private volatile boolean caseChanged;

  private AskedQuestion(byte[] asked, byte[] sent, int nameEnd, boolean randomCase) {
    this.asked = asked;
    this.sent = sent;
    this.nameEnd = nameEnd;
    this.randomCase = randomCase;
  }

  /** The query's wire form, its name's letters in random case when {@code randomCase}. */
  static AskedQuestion of(Message query, boolean randomCase, IntSupplier sixteenBits) {
    byte[] asked = query.toWire();
    int end = QuestionCase.nameEnd(asked);
    byte[] sent = asked;
    if (randomCase && end > 0) {
      sent = asked.clone();
      QuestionCase.randomise(sent, end, sixteenBits);
    }
    return new AskedQuestion(asked, sent, end, randomCase && end > 0);
  }

  /** The bytes to send, with the query ID {@code id} (written here: it is drawn after the wire). */
  byte[] withId(int id) {
    sent[0] = (byte) (id >>> 8);
    sent[1] = (byte) id;
    return sent;
  }

  /**
   * False when {@code reply} repeats the question in another case than sent under 0x20 (it is to be
   * ignored); otherwise true, with the caller's spelling of the name written over the reply's
   * question when it is the same name. A reply with another question or none is left to
   * {@link ReplyMatcher}.
   */
  boolean accepts(byte[] reply) {
    if (nameEnd < 0) return true;
    QuestionCase.Echo echo = QuestionCase.echo(sent, nameEnd, reply);
    if (echo == QuestionCase.Echo.CASE_ONLY && randomCase) {
      caseChanged = true;
      return false;
    }
    if (echo != QuestionCase.Echo.OTHER) QuestionCase.restore(asked, nameEnd, reply);
    return true;
  }

  /** True once a reply repeated the name in another case than sent under 0x20. */
  boolean caseChanged() {
    return caseChanged;
  }

  /** The failure of a query whose only reply repeated the name in another case. */
  static UpstreamException caseMismatch(InetSocketAddress server) {
    return new UpstreamException(UpstreamException.Kind.CASE_MISMATCH,
        server + ": the reply's question was not in the case sent (0x20)");
  }
}
