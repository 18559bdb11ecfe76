package dev.namu.server.transfer;

import dev.namu.server.intake.Request;
import dev.namu.server.pipeline.Outcome;
import dev.namu.server.pipeline.Transfers;
import dev.namu.server.update.RequestSignature;
import dev.namu.zones.edit.SerialNumber;
import dev.namu.zones.model.ZoneSnapshot;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Zone transfers out: AXFR (RFC 5936) streamed from the zone snapshot, IXFR (RFC 1995) from the
 * store's journal. A zone is transferred only to the clients and TSIG keys its policy allows;
 * everyone else gets REFUSED, as Knot, NSD and BIND answer. AXFR where one request gets one message
 * (UDP, DNS over HTTPS) gets NOTIMP (RFC 5936 4.2 defines it over TCP only), and IXFR there the SOA
 * alone (RFC 1995 2). Below a zone's apex the name is no zone we are authoritative
 * for (NOTAUTH, as NSD and Knot answer).
 */
public final class ZoneTransfers implements Transfers {
  private static final Logger log = LoggerFactory.getLogger(ZoneTransfers.class);

  /** Journal entries read for one IXFR: a secondary further behind gets the whole zone. */
  static final int JOURNAL_REACH = 1000;

  private final TransferPolicies policies;
  private final TransferCounters counters;
  private final Executor journalReads;
  /** True for a snapshot the zone's journal describes; a view's zone is not one. */
  private final java.util.function.Predicate<ZoneSnapshot> journaled;

  /**
   * @param journalReads where IXFR reads the journal (the database): never an event loop
   */
  public ZoneTransfers(TransferPolicies policies, TransferCounters counters, Executor journalReads) {
    this(policies, counters, journalReads, zone -> true);
  }

  /**
   * As above; an IXFR of a zone {@code journaled} says the journal does not describe (a view's
   * zone, whose records differ from the journal's) gets the whole zone.
   */
  public ZoneTransfers(TransferPolicies policies, TransferCounters counters, Executor journalReads,
      java.util.function.Predicate<ZoneSnapshot> journaled) {
    this.policies = policies;
    this.counters = counters;
    this.journalReads = journalReads;
    this.journaled = journaled;
  }

  @Override
  public Outcome answer(Request request) {
    int qtype = request.question().getType();
    if (qtype == Type.AXFR && request.transport().oneMessage()) {
      return new Outcome.RcodeOnly(Rcode.NOTIMP);
    }
    ZoneSnapshot zone = request.zones().zone(request.question().getName());
    if (zone == null) {
      return Transfers.NONE.answer(request);
    }
    Name key = request.signature() instanceof RequestSignature.Verified v ? v.request().getName() : null;
    if (!policies.policy(zone.origin()).allow().allows(request.peer().getAddress(), key)) {
      counters.transfer(TransferCounters.Kind.REFUSED);
      log.info("{} of {} from {}{} refused: not allowed by the zone's allow-transfer", Type.string(qtype),
          zone.origin(), request.peer().getAddress().getHostAddress(), key == null ? "" : " with key " + key);
      return new Outcome.RcodeOnly(Rcode.REFUSED);
    }
    if (qtype == Type.AXFR) {
      counters.transfer(TransferCounters.Kind.AXFR);
      return new Outcome.Stream(new TransferMessages(request.query(), ZoneRecords.axfr(zone)));
    }
    return ixfr(request, zone);
  }

  private Outcome ixfr(Request request, ZoneSnapshot zone) {
    // RFC 1995 3: the query's authority section holds the client's SOA
    SOARecord theirs = null;
    for (Record r : request.query().getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa && soa.getName().equals(zone.origin())) {
        theirs = soa;
      }
    }
    if (theirs == null) {
      return new Outcome.RcodeOnly(Rcode.FORMERR);
    }
    long serial = theirs.getSerial();
    // RFC 1995 2: a client as new as we are gets our SOA alone; over UDP so does any other, "the
    // server responds with the SOA alone" when the differences may not fit, and the client asks
    // again over TCP (4)
    if (!SerialNumber.isNewer(zone.serial(), serial) || request.transport().oneMessage()) {
      counters.transfer(TransferCounters.Kind.IXFR);
      return new Outcome.Answered(soaAlone(request.query(), zone.soa()), false);
    }
    return new Outcome.Stream(CompletableFuture.supplyAsync(() -> differences(request, zone, serial), journalReads));
  }

  /** The condensed differences since {@code serial}, or the whole zone when the journal cannot give them. */
  private Iterator<Message> differences(Request request, ZoneSnapshot zone, long serial) {
    Optional<JournalDifference> diff =
        JournalDifference.between(policies.journal(zone.origin(), JOURNAL_REACH), serial, zone.serial());
    // RFC 1995 4: the whole zone, AXFR-style, when the differences are unknown or larger than it,
    // or describe other data than the client's (the common zone's, to a client in a view)
    if (diff.isEmpty() || diff.get().size() > zone.records().size() || !journaled.test(zone)) {
      counters.transfer(TransferCounters.Kind.AXFR);
      return new TransferMessages(request.query(), ZoneRecords.axfr(zone));
    }
    counters.transfer(TransferCounters.Kind.IXFR);
    JournalDifference d = diff.get();
    return new TransferMessages(request.query(), ZoneRecords.ixfr(zone.soa(), d.old(), d.removed(), d.added()));
  }

  private static Message soaAlone(Message query, SOARecord soa) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    m.addRecord(soa, Section.ANSWER);
    return m;
  }
}
