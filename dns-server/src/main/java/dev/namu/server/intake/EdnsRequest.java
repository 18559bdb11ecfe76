package dev.namu.server.intake;

import java.util.List;
import org.xbill.DNS.EDNSOption;

/**
 * What a query's OPT record asked for (RFC 6891 6.1.2): the requester's UDP payload size, the EDNS
 * version, the DO bit (RFC 3225) and its options (cookie, NSID, client subnet...).
 */
public record EdnsRequest(int udpPayloadSize, int version, boolean dnssecOk, List<EDNSOption> options) {
  public EdnsRequest {
    options = List.copyOf(options);
  }
}
