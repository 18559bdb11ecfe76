package dev.namu.server.update;

import dev.namu.zones.edit.EditOutcome;
import dev.namu.zones.edit.ZoneEditor;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Answers RFC 2136 UPDATE messages. Order of checks: parse (FORMERR), TSIG (RFC 8945 5.2: before
 * anything else; no TSIG is REFUSED, an unknown key or bad MAC NOTAUTH with BADKEY/BADSIG, a bad
 * time NOTAUTH with BADTIME), zone section (3.1), then prerequisites and updates applied through the
 * {@link ZoneEditor} as one atomic, journaled edit. Every rejection changes nothing.
 */
public final class UpdateResponder {

  private static final Logger log = LoggerFactory.getLogger(UpdateResponder.class);

  private final ZoneEditor editor;
  private final TsigKeyring keys;

  public UpdateResponder(ZoneEditor editor, TsigKeyring keys) {
    this.editor = editor;
    this.keys = keys;
  }

  /**
   * The response to one UPDATE message in wire form, or empty when the bytes are not a DNS message
   * with a header at all (nothing to answer to). Never throws.
   */
  public Optional<byte[]> respond(byte[] wire, InetAddress client) {
    Message request;
    try {
      request = new Message(wire);
    } catch (IOException | RuntimeException e) {
      return formerrFromHeader(wire);
    }
    try {
      return Optional.of(handle(request, wire, client));
    } catch (RuntimeException e) {
      log.error("UPDATE from {} failed unexpectedly: {}", client.getHostAddress(), e.toString());
      log.debug("UPDATE failure detail", e);
      return headerOnly(wire, Rcode.SERVFAIL);
    }
  }

  private byte[] handle(Message request, byte[] wire, InetAddress client) {
    if (request.getHeader().getOpcode() != Opcode.UPDATE) {
      return reply(request, Rcode.NOTIMP).toWire();
    }
    TSIGRecord tsigRecord = tsigOf(request);
    if (tsigRecord == null) {
      log.info("UPDATE from {} refused: not signed with a TSIG key", client.getHostAddress());
      return reply(request, Rcode.REFUSED).toWire();
    }
    Optional<TSIG> key = keys.key(tsigRecord.getName());
    if (key.isEmpty()) {
      // RFC 8945 5.3.2: BADKEY answers are not signed: the key is unknown.
      log.info("UPDATE from {} refused: unknown TSIG key {}", client.getHostAddress(), tsigRecord.getName());
      Message response = reply(request, Rcode.NOTAUTH);
      unsignedError(response, tsigRecord, Rcode.BADKEY);
      return response.toWire();
    }
    int verified;
    try {
      verified = key.get().verify(request, wire, null);
    } catch (RuntimeException e) {
      // dnsjava cannot even read the signed data: a damaged message, not our failure.
      log.debug("TSIG verification could not run: {}", e.toString());
      verified = Rcode.BADSIG;
    }
    if (verified != Rcode.NOERROR) {
      log.info("UPDATE from {} refused: TSIG {} with key {}", client.getHostAddress(),
          Rcode.TSIGstring(verified), tsigRecord.getName());
      Message response = reply(request, Rcode.NOTAUTH);
      if (verified == Rcode.BADTIME) {
        // RFC 8945 5.2.3: a BADTIME answer is signed, so the client can trust the server's time.
        key.get().apply(response, Rcode.BADTIME, tsigRecord);
      } else {
        unsignedError(response, tsigRecord, verified == Rcode.BADKEY ? Rcode.BADKEY : Rcode.BADSIG);
      }
      return response.toWire();
    }
    Message response = reply(request, process(request, tsigRecord.getName()));
    key.get().apply(response, tsigRecord);
    return response.toWire();
  }

  private int process(Message request, Name keyName) {
    // RFC 2136 3.1.1: exactly one zone, type SOA, class IN (the class the zone is served in).
    List<Record> zones = request.getSection(Section.ZONE);
    if (zones.size() != 1 || zones.get(0).getType() != Type.SOA) {
      return Rcode.FORMERR;
    }
    Record zoneRecord = zones.get(0);
    if (zoneRecord.getDClass() != DClass.IN) {
      return Rcode.NOTAUTH;
    }
    Name zone = zoneRecord.getName();
    if (editor.zone(zone).isEmpty()) {
      log.info("UPDATE for {} refused: not an editable zone here", zone);
      return Rcode.NOTAUTH;
    }
    UpdateTranslator.Translation t = UpdateTranslator.translate(request, zone);
    if (t.change() == null) {
      return t.rcode();
    }
    EditOutcome outcome = editor.edit(t.change(), "key:" + keyName);
    if (outcome instanceof EditOutcome.Applied applied) {
      if (applied.changed()) {
        log.info("UPDATE of {} by key {} applied, serial {}", zone, keyName,
            applied.diffs().get(0).after().map(z -> z.serial()).orElse(-1L));
      }
      return Rcode.NOERROR;
    }
    EditOutcome.Rejected rejected = (EditOutcome.Rejected) outcome;
    log.info("UPDATE of {} by key {} rejected: {}", zone, keyName, rejected.message());
    switch (rejected.reason()) {
      case NAME_NOT_IN_USE:
        return Rcode.NXDOMAIN;
      case NAME_IN_USE:
        return Rcode.YXDOMAIN;
      case RRSET_MISSING:
        return Rcode.NXRRSET;
      case RRSET_EXISTS:
        return Rcode.YXRRSET;
      case NO_SUCH_ZONE:
        return Rcode.NOTAUTH;
      case STORE_FAILED:
        return Rcode.SERVFAIL;
      default:
        // The result would not be a valid zone: refused, as BIND does for such updates.
        return Rcode.REFUSED;
    }
  }

  /** The TSIG record, which RFC 8945 5.1 requires to be the last additional record; null if none. */
  private static TSIGRecord tsigOf(Message request) {
    List<Record> additional = request.getSection(Section.ADDITIONAL);
    if (additional.isEmpty()) {
      return null;
    }
    Record last = additional.get(additional.size() - 1);
    return last instanceof TSIGRecord t ? t : null;
  }

  /** RFC 2136 3.8: the response echoes the header (ID, opcode) and the zone section. */
  private static Message reply(Message request, int rcode) {
    Message response = new Message(request.getHeader().getID());
    Header h = response.getHeader();
    h.setFlag(Flags.QR);
    h.setOpcode(request.getHeader().getOpcode());
    h.setRcode(rcode);
    for (Record z : request.getSection(Section.ZONE)) {
      response.addRecord(z, Section.ZONE);
    }
    return response;
  }

  private static void unsignedError(Message response, TSIGRecord requestTsig, int error) {
    TSIGRecord r = new TSIGRecord(requestTsig.getName(), DClass.ANY, 0, requestTsig.getAlgorithm(),
        java.time.Instant.now(), requestTsig.getFudge(), new byte[0], response.getHeader().getID(), error,
        null);
    response.addRecord(r, Section.ADDITIONAL);
  }

  private static Optional<byte[]> formerrFromHeader(byte[] wire) {
    return headerOnly(wire, Rcode.FORMERR);
  }

  /** A reply of just the header (same ID and opcode, QR set), for messages we cannot read. */
  private static Optional<byte[]> headerOnly(byte[] wire, int rcode) {
    if (wire.length < Header.LENGTH) {
      return Optional.empty();
    }
    Message m = new Message(((wire[0] & 0xff) << 8) | (wire[1] & 0xff));
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setOpcode((wire[2] >> 3) & 0xf);
    m.getHeader().setRcode(rcode);
    return Optional.of(m.toWire());
  }
}
