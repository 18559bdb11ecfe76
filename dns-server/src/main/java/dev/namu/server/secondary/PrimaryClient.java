package dev.namu.server.secondary;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * What a secondary asks a primary, over the network and blocking (it runs on the secondary's own
 * threads, never an event loop): the zone's SOA serial (RFC 1034 4.3.5), and the zone itself, by
 * IXFR from the serial held (RFC 1995) or by AXFR (RFC 5936). dnsjava's {@link ZoneTransferIn}
 * runs both over TCP and checks the TSIG of every message of the stream (RFC 8945 5.3.1).
 */
final class PrimaryClient {
  /** Longest wait for the primary's reply to the SOA query (UDP, then TCP when truncated). */
  static final Duration SOA_TIMEOUT = Duration.ofSeconds(5);
  /** Longest a transfer may take in all; a primary that stalls one is given up on and retried. */
  static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(5);

  /** What a transfer brought. */
  sealed interface Transfer {}

  /** The primary's serial is the one asked from: nothing changed (RFC 1995 2, one SOA). */
  record Current() implements Transfer {}

  /** The whole zone (AXFR, or an IXFR answered AXFR-style), its SOA once. */
  record Whole(List<Record> records) implements Transfer {}

  /** The changes since the serial asked from, oldest first (RFC 1995 4). */
  record Changes(List<ZoneTransferIn.Delta> deltas) implements Transfer {}

  /**
   * The serial of the primary's SOA for {@code origin}, asked with {@code key} (null: unsigned).
   *
   * @throws IOException when the primary does not answer, answers with an error or without
   *     authority, or its reply fails the TSIG check
   */
  long soaSerial(Name origin, InetSocketAddress primary, TSIG key) throws IOException {
    SimpleResolver resolver = new SimpleResolver(primary);
    resolver.setTimeout(SOA_TIMEOUT);
    if (key != null) {
      resolver.setTSIGKey(key);
    }
    Message reply = resolver.send(Message.newQuery(Record.newRecord(origin, Type.SOA, DClass.IN)));
    if (key != null && !reply.isVerified()) {
      throw new IOException("SOA reply not signed with the zone's key");
    }
    if (reply.getRcode() != Rcode.NOERROR) {
      throw new IOException("SOA query answered " + Rcode.string(reply.getRcode()));
    }
    // RFC 1996 / BIND: only the primary's authoritative answer says which serial it serves
    if (!reply.getHeader().getFlag(Flags.AA)) {
      throw new IOException("SOA reply is not authoritative: the primary does not serve " + origin);
    }
    for (Record r : reply.getSection(Section.ANSWER)) {
      if (r instanceof SOARecord soa && soa.getName().equals(origin)) {
        return soa.getSerial();
      }
    }
    throw new IOException("SOA reply without the SOA of " + origin);
  }

  /**
   * Transfers {@code origin}: IXFR from {@code serial} when one is held (an AXFR-style answer, or a
   * primary that refuses IXFR, gives the whole zone), else AXFR.
   *
   * @param serial the serial held, or -1 for none
   * @throws IOException or ZoneTransferException when the transfer fails (a refusal, a TSIG that
   *     does not verify, a broken stream)
   */
  Transfer transfer(Name origin, InetSocketAddress primary, TSIG key, long serial)
      throws IOException, ZoneTransferException {
    if (serial >= 0) {
      ZoneTransferIn ixfr = ZoneTransferIn.newIXFR(origin, serial, true, primary, key);
      ixfr.setTimeout(TRANSFER_TIMEOUT);
      try {
        ixfr.run();
        if (ixfr.isCurrent()) {
          return new Current();
        }
        if (ixfr.isIXFR()) {
          return new Changes(List.copyOf(ixfr.getIXFR()));
        }
        return new Whole(oneSoa(ixfr.getAXFR()));
      } catch (ZoneTransferException refused) {
        // RFC 1995 2: a primary may not offer IXFR (REFUSED, NOTIMP, FORMERR from older servers);
        // AXFR is then the way, as BIND and Knot fall back
      }
    }
    ZoneTransferIn axfr = ZoneTransferIn.newAXFR(origin, primary, key);
    axfr.setTimeout(TRANSFER_TIMEOUT);
    axfr.run();
    return new Whole(oneSoa(axfr.getAXFR()));
  }

  /** The records of an AXFR with the SOA once: the stream begins and ends with it (RFC 5936 2.2). */
  private static List<Record> oneSoa(List<Record> records) {
    List<Record> out = new ArrayList<>(records.size());
    boolean soa = false;
    for (Record r : records) {
      if (r.getType() == Type.SOA) {
        if (soa) {
          continue;
        }
        soa = true;
      }
      out.add(r);
    }
    return out;
  }
}
