package dev.namu.server.pipeline;

import dev.namu.server.intake.Request;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;

/**
 * Sends each request to the handler for its opcode and question type: QUERY to the zone transfers
 * (AXFR, IXFR) or the zones and recursion, UPDATE to the zone's one writer, NOTIFY to the secondary
 * zones' refresh. Other opcodes (STATUS, unassigned) get NOTIMP from the header triage before
 * anything is decoded; a new message kind is a case here and an opcode in {@link #supports}.
 */
public final class Dispatcher {
  private final ZoneRouter router;
  private final Transfers transfers;
  private final UpdateHandler updates;
  private final NotifyHandler notifies;

  /** @param updates answers UPDATE, or null when there is no zone store to write to (NOTIMP) */
  public Dispatcher(ZoneRouter router, UpdateHandler updates) {
    this(router, updates, null, Transfers.NONE);
  }

  /**
   * As above; {@code notifies} answers NOTIFY, or null when namud is no secondary (NOTIMP), and
   * zone transfers are as {@code transfers} allows them.
   */
  public Dispatcher(ZoneRouter router, UpdateHandler updates, NotifyHandler notifies, Transfers transfers) {
    this.router = router;
    this.transfers = transfers;
    this.updates = updates;
    this.notifies = notifies;
  }

  /** The opcodes served; the {@code WireGate} answers NOTIMP to the others. */
  public boolean supports(int opcode) {
    return opcode == Opcode.QUERY || (opcode == Opcode.UPDATE && updates != null)
        || (opcode == Opcode.NOTIFY && notifies != null);
  }

  /** The handler for signed queries' keys, or null. */
  UpdateHandler keys() {
    return updates;
  }

  public Outcome dispatch(Request request) {
    int opcode = request.opcode();
    if (opcode == Opcode.QUERY) {
      return Transfers.isTransfer(request.question().getType())
          ? transfers.answer(request)
          : router.route(request);
    }
    if (opcode == Opcode.UPDATE && updates != null) {
      // RFC 2136 3.8: the reply is the header and the zone section, signed as the request was
      return new Outcome.RcodeLater(updates.update(request));
    }
    if (opcode == Opcode.NOTIFY && notifies != null) {
      return notifies.notify(request);
    }
    return new Outcome.RcodeOnly(Rcode.NOTIMP);
  }
}
