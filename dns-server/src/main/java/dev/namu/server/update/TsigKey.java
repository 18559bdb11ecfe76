package dev.namu.server.update;

import java.security.GeneralSecurityException;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * One TSIG key: dnsjava's signer for it, and the secret itself for the one signature dnsjava gets
 * wrong (BADTIME, see {@link ErrorTsig}).
 *
 * @param secret the secret with its JCA algorithm (a {@link SecretKeySpec} never hands out its
 *     own array)
 */
public record TsigKey(TSIG tsig, Name name, Name algorithm, SecretKeySpec secret) {

  /** JCA names of the algorithms {@link TsigKeyring#ALGORITHMS} accepts. */
  private static final Map<String, String> MACS =
      Map.of("hmac-sha256", "HmacSHA256", "hmac-sha384", "HmacSHA384", "hmac-sha512", "HmacSHA512");

  /** @throws IllegalArgumentException for an algorithm not in {@link TsigKeyring#ALGORITHMS} */
  static TsigKey of(Name name, String algorithm, byte[] secret) {
    String jca = MACS.get(algorithm);
    if (jca == null) {
      throw new IllegalArgumentException("unsupported TSIG algorithm " + algorithm);
    }
    SecretKeySpec spec = new SecretKeySpec(secret, jca);
    Name alg = TSIG.algorithmToName(algorithm);
    return new TsigKey(new TSIG(alg, name, spec), name, alg, spec);
  }

  /** A fresh HMAC keyed with this key's secret. */
  Mac mac() {
    try {
      Mac mac = Mac.getInstance(secret.getAlgorithm());
      mac.init(secret);
      return mac;
    } catch (GeneralSecurityException e) {
      // every JDK provides the HMAC-SHA2 family (Java Security Standard Algorithm Names)
      throw new IllegalStateException("no " + secret.getAlgorithm() + " in this JDK", e);
    }
  }
}
