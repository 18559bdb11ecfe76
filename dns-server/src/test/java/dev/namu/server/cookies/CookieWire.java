package dev.namu.server.cookies;

import java.util.Arrays;
import java.util.Optional;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Queries with a COOKIE option of any bytes (malformed ones too), and the cookie of a reply. */
final class CookieWire {
  private CookieWire() {}

  /** A query for {@code name}/{@code type} with EDNS and a COOKIE option holding {@code data}. */
  static byte[] query(String name, int type, byte[] data) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    byte[] plain = q.toWire();
    // the OPT is the last record and has no options yet: its RDLENGTH is the last two bytes
    byte[] wire = Arrays.copyOf(plain, plain.length + 4 + data.length);
    int rdlength = 4 + data.length;
    wire[plain.length - 2] = (byte) (rdlength >> 8);
    wire[plain.length - 1] = (byte) rdlength;
    wire[plain.length + 1] = 10;
    wire[plain.length + 2] = (byte) (data.length >> 8);
    wire[plain.length + 3] = (byte) data.length;
    System.arraycopy(data, 0, wire, plain.length + 4, data.length);
    return wire;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The reply's cookie option, if it has one. */
  static Optional<CookieOption> cookie(Message reply) {
    OPTRecord opt = reply.getOPT();
    if (opt == null) {
      return Optional.empty();
    }
    return opt.getOptions().stream().filter(o -> o instanceof CookieOption).map(o -> (CookieOption) o).findFirst();
  }
}
