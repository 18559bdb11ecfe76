package dev.namu.server.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.TestZones;
import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.config.InitialZones;
import dev.namu.server.intake.Transport;
import dev.namu.zones.registry.ZoneRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The prepared-answer path must give byte for byte what the general path gives, for every kind
 * of question, EDNS shape, transport, case, ID and RD/CD bits.
 */
class PreparedAnswersEquivalenceTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
  private static final int[] TYPES = {
    Type.A, Type.AAAA, Type.MX, Type.TXT, Type.NS, Type.SOA, Type.CNAME, Type.DS, Type.ANY,
    Type.PTR, Type.SRV, Type.DNAME
  };

  @Test
  void fastAndGeneralPathsGiveTheSameBytes(@TempDir Path dir) throws Exception {
    ZoneRegistry registry = new ZoneRegistry(InitialZones.load(Optional.of(TestZones.copyTo(dir))));
    ReplyCounters fastCounters = new ReplyCounters();
    QueryProcessor general =
        NamudServer.processor(registry, NamudServer.zoneLookup(), null, new ReplyCounters());
    QueryProcessor fast =
        NamudServer.processor(
            registry,
            NamudServer.zoneLookup(),
            new PreparedAnswers(registry::current, PreparedAnswers.DEFAULT_MAX_BYTES),
            fastCounters);

    Set<Name> names = new LinkedHashSet<>();
    registry.current().zones().forEach(z -> z.records().forEach(r -> names.add(r.getName())));
    for (Name n : new ArrayList<>(names)) {
      names.add(Name.concatenate(Name.fromConstantString("nx"), n));
      names.add(Name.concatenate(Name.fromConstantString("x.y"), n));
    }
    names.add(Name.fromConstantString("www.example.org."));
    names.add(Name.fromConstantString("b.ent.example.test."));

    Random random = new Random(7);
    int compared = 0;
    for (Name name : names) {
      for (int type : TYPES) {
        for (int shape = 0; shape < 5; shape++) {
          Transport transport = random.nextBoolean() ? Transport.UDP : Transport.TCP;
          byte[] warm = query(name, type, shape, random);
          byte[] asked = query(name, type, shape, random);
          run(fast, warm, transport);
          byte[] viaFast = run(fast, asked, transport);
          byte[] viaGeneral = run(general, asked, transport);
          assertArrayEquals(viaGeneral, viaFast, () -> "differs for " + name + " " + Type.string(type));
          compared++;
        }
      }
    }
    assertTrue(compared > 1000, "compared " + compared);
    assertTrue(
        fastCounters.preparedHits() > compared / 3,
        "prepared answers used: " + fastCounters.preparedHits() + " of " + compared);
  }

  /** A query in one of five EDNS shapes, with random case, ID, RD and CD. */
  private static byte[] query(Name name, int type, int shape, Random random) throws Exception {
    Name cased = Name.fromString(randomCase(name.toString(), random));
    Message q = DnsWire.query(cased.toString(), type);
    q.getHeader().setID(random.nextInt(65536));
    if (random.nextBoolean()) {
      q.getHeader().unsetFlag(Flags.RD);
    }
    if (random.nextBoolean()) {
      q.getHeader().setFlag(Flags.CD);
    }
    switch (shape) {
      case 1 -> q.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
      case 2 -> q.addRecord(new OPTRecord(512, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
      // an NSID request: an option the fast path takes (a cookie's reply is made for its client)
      case 3 -> q.addRecord(
          new OPTRecord(4096, 0, 0, 0, List.of(new GenericEDNSOption(EDNSOption.Code.NSID, new byte[0]))),
          Section.ADDITIONAL);
      case 4 -> q.addRecord(new OPTRecord(1400, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
      default -> {}
    }
    return q.toWire();
  }

  private static String randomCase(String s, Random random) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return sb.toString();
  }

  private static byte[] run(QueryProcessor p, byte[] q, Transport t) {
    Reply r = p.process(q, t, PEER, UnpooledByteBufAllocator.DEFAULT);
    ByteBuf b = ((Reply.Now) r).wire();
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }
}
