package dev.namu.server.intake;

import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.OPTRecord;

/** The OPT record we put in replies to queries that had one (RFC 6891 6.1). */
public final class EdnsReply {
  private EdnsReply() {}

  /**
   * Our OPT: our UDP payload size, version 0, the upper 8 bits of a 12-bit rcode in the extended
   * rcode field (RFC 6891 6.1.3), and the DO bit copied from the query (RFC 3225 3).
   */
  public static OPTRecord opt(int rcode, boolean dnssecOk) {
    return opt(rcode, dnssecOk, List.of());
  }

  /** As above, carrying {@code options} (an extended error, RFC 8914 3). */
  public static OPTRecord opt(int rcode, boolean dnssecOk, List<EDNSOption> options) {
    return new OPTRecord(
        ReplySize.OUR_UDP_PAYLOAD, rcode >>> 4, 0, dnssecOk ? ExtendedFlags.DO : 0, options);
  }

  /** Our OPT {@code opt} with one more option (a cookie, RFC 7873 5.2), the rest as it was. */
  public static OPTRecord with(OPTRecord opt, EDNSOption option) {
    List<EDNSOption> options = new java.util.ArrayList<>(opt.getOptions());
    options.add(option);
    return new OPTRecord(opt.getPayloadSize(), opt.getExtendedRcode(), opt.getVersion(), opt.getFlags(), options);
  }
}
