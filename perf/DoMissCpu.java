import dev.namu.zones.file.ZoneFileLoader;
import dev.namu.zones.lookup.AuthoritativeAnswer;
import dev.namu.zones.lookup.AuthoritativeAnswerer;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneSet;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * CPU per query of namud's general answer path (the lookup, then the reply built and encoded as
 * a dnsjava message, as ResponseBuilder and ResponseEncoder do), without DO and with DO, over a
 * zone file and a dnsperf query file: what a query costs when no prepared answer is held for it.
 * Thread CPU time, so a busy machine slows the run but does not skew the figures. Rounds
 * alternate no DO and DO; the medians of the later half of the rounds are printed last.
 *
 * <p>usage: java -Xmx3g -cp dns-server/target/namud.jar perf/DoMissCpu.java ZONEFILE ORIGIN QUERIES [N] [ROUNDS]
 */
public class DoMissCpu {

  public static void main(String[] a) throws Exception {
    ZoneSnapshot zone = new ZoneFileLoader().load(Path.of(a[0]), Name.fromString(a[1])).zone().orElseThrow();
    ZoneSet zones = ZoneSet.of(List.of(zone));
    List<Name> names = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(a[2]))) {
      String[] p = line.trim().split("\\s+");
      if (p.length >= 2) {
        names.add(Name.fromString(p[0]));
        types.add(Type.value(p[1]));
      }
    }
    int n = Math.min(a.length > 3 ? Integer.parseInt(a[3]) : 200_000, names.size());
    int rounds = a.length > 4 ? Integer.parseInt(a[4]) : 8;
    AuthoritativeAnswerer answerer = new AuthoritativeAnswerer();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    AuthoritativeAnswer[] answers = new AuthoritativeAnswer[n];
    List<double[]> kept = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (boolean dnssec : new boolean[] {false, true}) {
        long c0 = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          answers[i] = answerer.answer(zones, names.get(i), types.get(i), dnssec).orElseThrow();
        }
        long c1 = cpu.getCurrentThreadCpuTime();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
          bytes += encode(answers[i], i, names.get(i), types.get(i), dnssec).length;
        }
        long c2 = cpu.getCurrentThreadCpuTime();
        double lookup = (c1 - c0) / 1e3 / n;
        double encode = (c2 - c1) / 1e3 / n;
        if (round >= rounds / 2) {
          kept.add(new double[] {dnssec ? 1 : 0, lookup, encode});
        }
        System.out.printf("round %d %-5s: us CPU/query %.2f: lookup %.2f, build+encode %.2f; %d bytes a reply%n",
            round, dnssec ? "DO" : "no DO", lookup + encode, lookup, encode, bytes / n);
      }
    }
    double pl = median(kept, 0, 1);
    double pe = median(kept, 0, 2);
    double dl = median(kept, 1, 1);
    double de = median(kept, 1, 2);
    System.out.printf("median of rounds %d-%d, us CPU/query: no DO lookup %.2f encode %.2f total %.2f;"
            + " DO lookup %.2f encode %.2f total %.2f; DO/no DO %.2f%n",
        rounds / 2, rounds - 1, pl, pe, pl + pe, dl, de, dl + de, (dl + de) / (pl + pe));
  }

  private static byte[] encode(AuthoritativeAnswer answer, int id, Name qname, int qtype, boolean dnssec) {
    Message m = new Message(id & 0xFFFF);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.getHeader().setRcode(answer.rcode());
    m.addRecord(Record.newRecord(qname, qtype, DClass.IN), Section.QUESTION);
    add(m, answer.answer(), Section.ANSWER, dnssec);
    add(m, answer.authority(), Section.AUTHORITY, dnssec);
    add(m, answer.additional(), Section.ADDITIONAL, dnssec);
    m.addRecord(new OPTRecord(1232, 0, 0, dnssec ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    return m.toWire(1232);
  }

  private static void add(Message m, List<RRset> sets, int section, boolean sigs) {
    for (RRset s : sets) {
      for (Record r : s.rrs(false)) {
        m.addRecord(r, section);
      }
      if (sigs || s.size() == 0) {
        for (Record r : s.sigs()) {
          m.addRecord(r, section);
        }
      }
    }
  }

  private static double median(List<double[]> rows, int mode, int column) {
    double[] v = rows.stream().filter(r -> r[0] == mode).mapToDouble(r -> r[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
