package dev.namu.resolver.replay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Unbound's find_match (testcode/testpkts.c): does a packet match an entry under the entry's
 * MATCH keywords. {@code all} compares flags, rcode, question and the three sections with
 * names lowercased, RR order free, TTLs ignored unless {@code ttl} is given; the ID and the
 * OPT record are not compared.
 */
final class PacketMatcher {
  private PacketMatcher() {}

  /** Null when {@code packet} matches, else why not. */
  static String mismatch(Entry e, Message packet, boolean tcp) {
    Set<String> m = e.match();
    Message want = e.packet();
    Record wq = want.getQuestion();
    Record pq = packet.getQuestion();
    if (m.contains("opcode") && want.getHeader().getOpcode() != packet.getHeader().getOpcode()) return "opcode";
    if (m.contains("TCP") && !tcp) return "transport (want TCP)";
    if (m.contains("UDP") && tcp) return "transport (want UDP)";
    if (m.contains("qtype") && (wq == null || pq == null || wq.getType() != pq.getType())) return "qtype";
    if (m.contains("qname") && (wq == null || pq == null || !wq.getName().equals(pq.getName()))) return "qname";
    if (m.contains("subdomain") && (wq == null || pq == null || !pq.getName().subdomain(wq.getName()))) return "subdomain";
    if (m.contains("question") && !sameQuestion(want, packet)) return "question";
    if (m.contains("rcode") && want.getRcode() != packet.getRcode()) {
      return "rcode " + org.xbill.DNS.Rcode.string(packet.getRcode()) + " want " + org.xbill.DNS.Rcode.string(want.getRcode());
    }
    boolean ttl = m.contains("ttl");
    if (m.contains("answer") && !section(want, Section.ANSWER, ttl).equals(section(packet, Section.ANSWER, ttl))) {
      return "answer section";
    }
    if (m.contains("all")) {
      int[] flags = {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.CD};
      for (int f : flags) {
        if (want.getHeader().getFlag(f) != packet.getHeader().getFlag(f)) {
          return "flag " + Flags.string(f) + (packet.getHeader().getFlag(f) ? " set" : " clear");
        }
      }
      if (want.getRcode() != packet.getRcode()) {
        return "rcode " + org.xbill.DNS.Rcode.string(packet.getRcode()) + " want " + org.xbill.DNS.Rcode.string(want.getRcode());
      }
      if (!sameQuestion(want, packet)) return "question";
      String[] names = {"", "answer", "authority", "additional"};
      for (int s = Section.ANSWER; s <= Section.ADDITIONAL; s++) {
        List<String> a = section(want, s, ttl);
        List<String> b = section(packet, s, ttl);
        if (!a.equals(b)) {
          return names[s] + " section: got " + b + " want " + a;
        }
      }
    }
    for (String k : m) {
      if (k.startsWith("ede=")) {
        int code = k.equals("ede=any") ? -1 : Integer.parseInt(k.substring(4));
        if (!hasEde(packet, code)) return "no EDE " + k.substring(4);
      }
    }
    return null;
  }

  private static boolean hasEde(Message p, int code) {
    OPTRecord opt = p.getOPT();
    if (opt == null) return false;
    for (EDNSOption o : opt.getOptions()) {
      if (o instanceof ExtendedErrorCodeOption ede && (code < 0 || ede.getErrorCode() == code)) return true;
    }
    return false;
  }

  private static boolean sameQuestion(Message a, Message b) {
    Record x = a.getQuestion();
    Record y = b.getQuestion();
    if (x == null || y == null) return x == y;
    return x.getName().equals(y.getName()) && x.getType() == y.getType() && x.getDClass() == y.getDClass();
  }

  /** The section's records as lowercase text (TTL zeroed unless {@code ttl}), sorted. */
  static List<String> section(Message m, int section, boolean ttl) {
    List<String> out = new ArrayList<>();
    for (Record r : m.getSection(section)) {
      if (r.getType() == Type.OPT) continue;
      String s = r.getName().toString().toLowerCase(Locale.ROOT) + " " + (ttl ? r.getTTL() : 0) + " "
          + org.xbill.DNS.DClass.string(r.getDClass()) + " " + Type.string(r.getType()) + " "
          + r.rdataToString().toLowerCase(Locale.ROOT);
      out.add(s);
    }
    Collections.sort(out);
    return out;
  }
}
