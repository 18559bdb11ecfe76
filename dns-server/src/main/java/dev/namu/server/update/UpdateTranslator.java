package dev.namu.server.update;

import dev.namu.zones.edit.ChangeMode;
import dev.namu.zones.edit.Prerequisite;
import dev.namu.zones.edit.RecordOperation;
import dev.namu.zones.edit.ZoneChange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TTL;
import org.xbill.DNS.Type;

/**
 * Reads the prerequisite and update sections of an UPDATE message (RFC 2136 sections 2.4, 2.5) into a
 * {@link ZoneChange}, performing the checks of 3.2 and the prescan of 3.4.1 that need no zone data;
 * a malformed message yields the rcode to answer with.
 */
final class UpdateTranslator {

  /** Either a change or the rcode that rejects the message. */
  record Translation(ZoneChange change, int rcode) {}

  private UpdateTranslator() {}

  static Translation translate(Message update, Name zone) {
    List<Prerequisite> prereqs = new ArrayList<>();
    Map<String, List<Record>> valueSets = new LinkedHashMap<>();
    Map<String, Record> valueKeys = new LinkedHashMap<>();
    for (Record r : update.getSection(Section.PREREQ)) {
      Name name = r.getName();
      // RFC 2136 3.2.1: TTL must be zero; 3.2.2 (last paragraph) NOTZONE for names outside the zone.
      if (r.getTTL() != 0) {
        return fail(Rcode.FORMERR);
      }
      if (!name.subdomain(zone)) {
        return fail(Rcode.NOTZONE);
      }
      int dclass = r.getDClass();
      int type = r.getType();
      if (dclass == DClass.ANY) {
        if (!emptyRdata(r)) {
          return fail(Rcode.FORMERR);
        }
        prereqs.add(type == Type.ANY ? new Prerequisite.NameInUse(name) : new Prerequisite.RRsetExists(name, type));
      } else if (dclass == DClass.NONE) {
        if (!emptyRdata(r)) {
          return fail(Rcode.FORMERR);
        }
        prereqs.add(type == Type.ANY ? new Prerequisite.NameNotInUse(name)
            : new Prerequisite.RRsetDoesNotExist(name, type));
      } else if (dclass == DClass.IN) {
        // 3.2.3: value-dependent; RRs of one (name, type) together form the RRset to compare.
        String key = name.toString().toLowerCase(java.util.Locale.ROOT) + "/" + type;
        valueSets.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        valueKeys.putIfAbsent(key, r);
      } else {
        return fail(Rcode.FORMERR);
      }
    }
    valueSets.forEach((key, records) -> prereqs.add(new Prerequisite.RRsetExistsWithValues(
        valueKeys.get(key).getName(), valueKeys.get(key).getType(), records)));

    List<RecordOperation> ops = new ArrayList<>();
    for (Record r : update.getSection(Section.UPDATE)) {
      Name name = r.getName();
      int type = r.getType();
      // 3.4.1.3 prescan
      if (!name.subdomain(zone)) {
        return fail(Rcode.NOTZONE);
      }
      int dclass = r.getDClass();
      if (dclass == DClass.IN) {
        // RDLENGTH 0 in an addition is no record (dnsjava reads it as an untyped empty record,
        // which an SOA's use of it cannot be cast from): a format error, RFC 2136 3.4.1.2
        if (!Type.isRR(type) || emptyRdata(r)) {
          return fail(Rcode.FORMERR);
        }
        // RFC 2181 8: a TTL is 0..2^31-1. dnsjava reads a larger one from the wire but builds no
        // record with it (an SOA so added threw on its way into the zone, a TXT was kept with it):
        // no record to add, a format error too
        if (r.getTTL() > TTL.MAX_VALUE) {
          return fail(Rcode.FORMERR);
        }
        ops.add(new RecordOperation.Add(r));
      } else if (dclass == DClass.ANY) {
        if (r.getTTL() != 0 || !emptyRdata(r) || (type != Type.ANY && !Type.isRR(type))) {
          return fail(Rcode.FORMERR);
        }
        ops.add(type == Type.ANY ? new RecordOperation.DeleteName(name) : new RecordOperation.DeleteRRset(name, type));
      } else if (dclass == DClass.NONE) {
        // RFC 2136 2.5.4: the RDATA names the one record to delete. RDLENGTH 0 names none (the
        // record is rebuilt from its text below, and a DHCID of no text is one of no data, whose
        // printing throws): a format error, as for an addition
        if (r.getTTL() != 0 || !Type.isRR(type) || emptyRdata(r)) {
          return fail(Rcode.FORMERR);
        }
        Record asIn;
        try {
          asIn = Record.fromString(name, type, DClass.IN, 0, r.rdataToString(), Name.root);
        } catch (IOException | RuntimeException e) {
          return fail(Rcode.FORMERR);
        }
        ops.add(new RecordOperation.Delete(asIn));
      } else {
        return fail(Rcode.FORMERR);
      }
    }
    return new Translation(new ZoneChange(zone, prereqs, ops, ChangeMode.RFC2136), Rcode.NOERROR);
  }

  private static Translation fail(int rcode) {
    return new Translation(null, rcode);
  }

  /** RDLENGTH zero, as class ANY and NONE prerequisites and ANY deletions require. */
  private static boolean emptyRdata(Record r) {
    try {
      return r.rdataToWireCanonical().length == 0;
    } catch (RuntimeException e) {
      // dnsjava leaves type-specific fields unset for empty RDATA; writing them fails: it was empty.
      return true;
    }
  }
}
