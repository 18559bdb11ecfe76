package dev.namu.server.pipeline;

import dev.namu.server.intake.Request;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;

/**
 * Sends each request to the handler for its opcode and question type: QUERY to the zone transfers
 * (AXFR, IXFR) or the zones and recursion, UPDATE to the zone's one writer. Other opcodes (NOTIFY,
 * STATUS, unassigned) get NOTIMP from the header triage before anything is decoded; a new message
 * kind is a case here and an opcode in {@link #supports}.
 */
public final class Dispatcher {
  private final ZoneRouter router;
  private final Transfers transfers;
  private final UpdateHandler updates;

  /** @param updates answers UPDATE, or null when there is no zone store to write to (NOTIMP) */
  public Dispatcher(ZoneRouter router, UpdateHandler updates) {
    this(router, updates, Transfers.NONE);
  }

  /** As above, with zone transfers as {@code transfers} allows them (the other: none). */
  public Dispatcher(ZoneRouter router, UpdateHandler updates, Transfers transfers) {
    this.router = router;
    this.transfers = transfers;
    this.updates = updates;
  }

  /** The opcodes served; the {@code WireGate} answers NOTIMP to the others. */
  public boolean supports(int opcode) {
    return opcode == Opcode.QUERY || (opcode == Opcode.UPDATE && updates != null);
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
    return new Outcome.RcodeOnly(Rcode.NOTIMP);
  }
}
