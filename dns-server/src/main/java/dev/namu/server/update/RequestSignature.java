package dev.namu.server.update;

import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * What a request's TSIG says (RFC 8945 5.2) and so how its reply is signed: every reply to a
 * signed request carries a TSIG (5.3), errors included. {@link #sign} is the last thing done to a
 * reply before it is written.
 */
public sealed interface RequestSignature {

  /** A request without a TSIG. */
  RequestSignature UNSIGNED = new Unsigned();

  /** A signed request that cannot be checked now: the keys are in the zone store, still opening. */
  RequestSignature UNVERIFIABLE = new Unverifiable();

  /** Adds the TSIG the reply to this request must carry, if any; the reply is otherwise complete. */
  void sign(Message reply);

  /** True when {@link #sign} gives the reply a TSIG, written after its additional section. */
  default boolean signsReply() {
    return true;
  }

  /**
   * The rcode that answers the request instead of what it asks, or {@link Rcode#NOERROR} when it
   * may be answered (it is unsigned or verified).
   */
  default int refusal() {
    return Rcode.NOERROR;
  }

  /**
   * How the first message of a stream of replies (a zone transfer) is signed; the next is signed by
   * {@link #following} the one before. Unsigned and refused requests sign every message alike.
   */
  default RequestSignature streamStart() {
    return this;
  }

  /** How the message after {@code sent} (signed by this) of a stream is signed. */
  default RequestSignature following(Message sent) {
    return this;
  }

  /** No TSIG: the reply is not signed. */
  record Unsigned() implements RequestSignature {
    @Override
    public void sign(Message reply) {}

    @Override
    public boolean signsReply() {
      return false;
    }
  }

  /**
   * Verified with a key we hold: the reply is signed with the same key, over the request's MAC
   * (5.3.1). dnsjava signs when the reply is written, so the MAC covers what is sent, truncated
   * or not.
   */
  record Verified(TSIG key, TSIGRecord request) implements RequestSignature {
    @Override
    public void sign(Message reply) {
      reply.setTSIG(key, Rcode.NOERROR, request);
    }

    @Override
    public RequestSignature streamStart() {
      return new Streamed(key, request, true);
    }
  }

  /**
   * One message of a signed stream (RFC 8945 5.3.1): the first signed over the request's MAC, each
   * later one over the MAC of the message before it, with the timers alone. The TSIG is added to
   * the message here, where the next message can read its MAC.
   *
   * @param prior the request's TSIG for the first message, the previous message's after
   */
  record Streamed(TSIG key, TSIGRecord prior, boolean first) implements RequestSignature {
    @Override
    public void sign(Message reply) {
      key.applyStream(reply, prior, first);
    }

    @Override
    public boolean signsReply() {
      // the TSIG is in the additional section already when the message is written
      return false;
    }

    @Override
    public RequestSignature following(Message sent) {
      return new Streamed(key, sent.getTSIG(), false);
    }
  }

  /**
   * Not verified: NOTAUTH with the TSIG error (5.2.1 BADKEY, 5.2.2 BADSIG, 5.2.3 BADTIME).
   *
   * @param key the key, for BADTIME only (null otherwise)
   */
  record Failed(int error, TSIGRecord request, TsigKey key) implements RequestSignature {
    @Override
    public int refusal() {
      return Rcode.NOTAUTH;
    }

    @Override
    public void sign(Message reply) {
      reply.setTSIG(new ErrorTsig(request, key), error, request);
    }
  }

  /**
   * The keys cannot be read yet: SERVFAIL, unsigned as no key is known, so the client retries
   * (RFC 1035 4.1.1: the server cannot process the query now).
   */
  record Unverifiable() implements RequestSignature {
    @Override
    public int refusal() {
      return Rcode.SERVFAIL;
    }

    @Override
    public void sign(Message reply) {}

    @Override
    public boolean signsReply() {
      return false;
    }
  }
}
