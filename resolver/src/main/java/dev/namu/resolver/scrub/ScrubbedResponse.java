package dev.namu.resolver.scrub;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * An upstream reply reduced to what its server may say (its bailiwick) about the question.
 *
 * @param rcode the reply's rcode (YXDOMAIN when a DNAME substitution overflowed)
 * @param authoritative AA was set
 * @param recursionAvailable RA was set
 * @param chain answer-section RRsets from the question name along CNAME/DNAME links, in order
 *     (synthesised CNAMEs for DNAMEs included); links after the first only from an
 *     authoritative reply and inside the bailiwick. For an RRSIG question, one set of
 *     signatures alone per type they cover
 * @param finalName where the chain ends (the question name when the chain is empty)
 * @param complete the chain ends in data of the question's type
 * @param authority NS and SOA RRsets at or above {@code finalName}, and NSEC and NSEC3 RRsets
 *     (the proofs of negative and wildcard answers), inside the bailiwick
 * @param additional A/AAAA RRsets of the NS names in {@code authority}, inside the bailiwick
 * @param droppedNs the reply had NS sets in its authority section that were out of bailiwick
 *     or not above the name (an upward or sideways referral)
 */
public record ScrubbedResponse(
    int rcode,
    boolean authoritative,
    boolean recursionAvailable,
    List<RRset> chain,
    Name finalName,
    boolean complete,
    List<RRset> authority,
    List<RRset> additional,
    boolean droppedNs) {

  public RRset soa() {
    for (RRset r : authority) {
      if (r.getType() == org.xbill.DNS.Type.SOA) return r;
    }
    return null;
  }

  public RRset ns() {
    for (RRset r : authority) {
      if (r.getType() == org.xbill.DNS.Type.NS) return r;
    }
    return null;
  }
}
