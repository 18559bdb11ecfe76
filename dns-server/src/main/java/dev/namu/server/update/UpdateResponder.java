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
import org.xbill.DNS.Type;

/**
 * Answers RFC 2136 UPDATE messages. Order of checks: parse (FORMERR), TSIG (RFC 8945 5.2: before
 * anything else; no TSIG is REFUSED, an unknown key, bad MAC or bad time NOTAUTH with BADKEY,
 * BADSIG or BADTIME, see {@link TsigKeyring#check}), zone section (3.1), then prerequisites and updates applied through the
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
    return Optional.of(respond(request, wire, client));
  }

  /** As above, for a message already parsed from {@code wire}. Never throws. */
  public byte[] respond(Message request, byte[] wire, InetAddress client) {
    try {
      return handle(request, wire, client);
    } catch (RuntimeException e) {
      log.error("UPDATE from {} failed unexpectedly: {}", client.getHostAddress(), e.toString());
      log.debug("UPDATE failure detail", e);
      return headerOnly(wire, Rcode.SERVFAIL).orElseThrow();
    }
  }

  private byte[] handle(Message request, byte[] wire, InetAddress client) {
    if (request.getHeader().getOpcode() != Opcode.UPDATE) {
      return reply(request, Rcode.NOTIMP).toWire();
    }
    RequestSignature signature = keys.check(request, wire);
    if (signature instanceof RequestSignature.Unsigned) {
      log.info("UPDATE from {} refused: not signed with a TSIG key", client.getHostAddress());
      return reply(request, Rcode.REFUSED).toWire();
    }
    Message response;
    if (signature instanceof RequestSignature.Failed failed) {
      log.info("UPDATE from {} refused: TSIG {} with key {}", client.getHostAddress(),
          Rcode.TSIGstring(failed.error()), failed.request().getName());
      response = reply(request, failed.refusal());
    } else {
      response = reply(request, process(request, request.getTSIG().getName()));
    }
    signature.sign(response);
    // toWire with a limit: dnsjava signs a reply only when it writes it with one
    return response.toWire(Message.MAXLENGTH);
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
