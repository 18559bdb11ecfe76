package dev.namu.server.update;

import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * The TSIG of an error reply to a signed request (RFC 8945 5.3.2), given to dnsjava as the reply's
 * signer ({@link Message#setTSIG}) so that dnsjava writes it where it belongs (last, after the OPT)
 * and leaves room for it. BADKEY and BADSIG replies are unsigned; a BADTIME reply is signed with
 * the server's time in Other Data, under the MAC, which dnsjava's own BADTIME MAC leaves out (so
 * no client could verify it).
 */
final class ErrorTsig extends TSIG {

  /** Never used to sign: dnsjava's signer needs a key, and this one only writes the record. */
  private static final SecretKeySpec UNUSED = new SecretKeySpec(new byte[] {0}, "HmacSHA256");
  /** Other Data of a BADTIME TSIG: the server's time, 48 bits of seconds (5.2.3). */
  private static final int TIME_LENGTH = 6;
  /** The longest MAC of the algorithms accepted (HMAC-SHA512). */
  private static final int MAX_MAC_LENGTH = 64;

  private final TSIGRecord request;
  private final TsigKey key;

  /** @param key the key of the request, for BADTIME (null for BADKEY and BADSIG) */
  ErrorTsig(TSIGRecord request, TsigKey key) {
    super(TSIG.HMAC_SHA256, request.getName(), UNUSED);
    this.request = request;
    this.key = key;
  }

  @Override
  public TSIGRecord generate(Message m, byte[] b, int error, TSIGRecord old) {
    return error == Rcode.BADTIME && key != null ? badTime(m, b, Instant.now()) : unsigned(m, error);
  }

  @Override
  public TSIGRecord generate(Message m, byte[] b, int error, TSIGRecord old, boolean fullSignature) {
    return generate(m, b, error, old);
  }

  @Override
  public int recordLength() {
    // owner, type/class/TTL/RDLENGTH, algorithm, time and fudge, MAC, ID and error, Other Data
    return request.getName().length() + 10 + request.getAlgorithm().length() + 8
        + 2 + MAX_MAC_LENGTH + 4 + 2 + TIME_LENGTH;
  }

  /**
   * An error about the key or the MAC "MUST NOT" be signed (5.3.2): the MAC is empty, since the
   * client could not check it against a key we do not share.
   */
  private TSIGRecord unsigned(Message reply, int error) {
    return new TSIGRecord(request.getName(), DClass.ANY, 0, request.getAlgorithm(), Instant.now(),
        request.getFudge(), new byte[0], reply.getHeader().getID(), error, null);
  }

  /**
   * 5.2.3 and 5.3.2: BADTIME is signed, with the request's Time Signed (so the client's own clock
   * accepts the reply) and the server's current time in Other Data; the MAC covers the request's
   * MAC, the reply as written and the TSIG variables, Other Data included.
   */
  private TSIGRecord badTime(Message reply, byte[] written, Instant now) {
    Mac mac = key.mac();
    DNSOutput requestMac = new DNSOutput();
    requestMac.writeU16(request.getSignature().length);
    requestMac.writeByteArray(request.getSignature());
    mac.update(requestMac.toByteArray());
    mac.update(written);
    byte[] other = time(now);
    DNSOutput variables = new DNSOutput();
    key.name().toWireCanonical(variables);
    variables.writeU16(DClass.ANY);
    variables.writeU32(0);
    key.algorithm().toWireCanonical(variables);
    variables.writeByteArray(time(request.getTimeSigned()));
    variables.writeU16((int) request.getFudge().getSeconds());
    variables.writeU16(Rcode.BADTIME);
    variables.writeU16(other.length);
    variables.writeByteArray(other);
    byte[] signature = mac.doFinal(variables.toByteArray());
    return new TSIGRecord(key.name(), DClass.ANY, 0, key.algorithm(), request.getTimeSigned(),
        request.getFudge(), signature, reply.getHeader().getID(), Rcode.BADTIME, other);
  }

  private static byte[] time(Instant instant) {
    long seconds = instant.getEpochSecond();
    DNSOutput out = new DNSOutput(TIME_LENGTH);
    out.writeU16((int) (seconds >>> 32));
    out.writeU32(seconds & 0xFFFFFFFFL);
    return out.toByteArray();
  }
}
