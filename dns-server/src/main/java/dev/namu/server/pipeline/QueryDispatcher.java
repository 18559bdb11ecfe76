package dev.namu.server.pipeline;

import dev.namu.server.auth.ResponseBuilder;
import dev.namu.server.intake.Request;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;

/** Sends each request to the handler for its opcode. QUERY only for now; UPDATE and NOTIFY come later. */
public final class QueryDispatcher {
  private final ZoneRouter router;
  private final ResponseBuilder builder;

  public QueryDispatcher(ZoneRouter router, ResponseBuilder builder) {
    this.router = router;
    this.builder = builder;
  }

  /** The opcodes this dispatcher serves; the {@code WireGate} answers NOTIMP to the others. */
  public boolean supports(int opcode) {
    return opcode == Opcode.QUERY;
  }

  public Outcome dispatch(Request request) {
    int opcode = request.query().getHeader().getOpcode();
    if (opcode == Opcode.QUERY) {
      return router.route(request);
    }
    return new Outcome.Answered(builder.error(request, Rcode.NOTIMP), false);
  }
}
