package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.admin.StoreOpener;
import dev.namu.server.admin.StoredZoneCatalog;
import dev.namu.server.config.NamudCommandLine;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneWrite;
import dev.namu.zones.store.memory.MemoryZoneStore;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * namud answers from its zone files before its zone store is open: the store opener is held back
 * here (a latch, no timing), and what namud answers meanwhile and afterwards is checked over UDP.
 */
class StoreStartupTest {
  @TempDir Path dir;

  private static final Name LAB = name("lab.test.");

  private String[] flags(Path data) throws Exception {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    if (!Files.exists(zones.resolve(TestZones.FILES[0]))) {
      TestZones.copyTo(zones);
    }
    return new String[] {"--listen", "127.0.0.1:0", "--zones", zones.toString(), "--no-api", "--no-metrics",
        "--no-recursion", "--data", data.toString()};
  }

  /** A data directory whose store (as the catalog says) holds lab.test. */
  private Path dataWithStoredLab() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    // only its existence and size are read before opening (an empty one would be a lost store)
    Files.writeString(data.resolve("namu.mv.db"), "held back: the test's opener never reads it");
    new StoredZoneCatalog(data).write(List.of(LAB));
    return data;
  }

  private static ZoneStore storeWithLab() {
    MemoryZoneStore store = new MemoryZoneStore();
    List<Record> records = List.of(
        new SOARecord(LAB, DClass.IN, 3600, name("ns.lab.test."), name("hostmaster.lab.test."), 7, 3600, 600,
            86400, 300),
        new NSRecord(LAB, DClass.IN, 3600, name("ns.lab.test.")),
        new ARecord(name("ns.lab.test."), DClass.IN, 3600, address("192.0.2.53")),
        new ARecord(name("pi.lab.test."), DClass.IN, 3600, address("192.0.2.50")));
    store.commit(List.of(new ZoneWrite.Put(LAB, OptionalLong.empty(), 7, records)), "test");
    return store;
  }

  @Test
  void fileZonesAreAnsweredWhileTheStoreOpensAndStoredZonesAfter() throws Exception {
    CountDownLatch opening = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StoreOpener held = config -> {
      opening.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return storeWithLab();
    };
    try (NamudServer server = NamudServer.launch(NamudCommandLine.parse(flags(dataWithStoredLab())), held)) {
      assertTrue(opening.await(30, TimeUnit.SECONDS), "the store opener runs");
      InetSocketAddress at = server.boundAddresses().get(0);

      // the store is still opening: file zones answer, with authority
      Message www = DnsWire.udp(at, DnsWire.query("www.example.test.", Type.A));
      assertEquals(Rcode.NOERROR, www.getRcode());
      assertTrue(www.getHeader().getFlag(Flags.AA));
      assertEquals(1, www.getSection(Section.ANSWER).size());
      // names of the stored zone: SERVFAIL, never a REFUSED or NXDOMAIN the store would contradict
      assertEquals(Rcode.SERVFAIL, DnsWire.udp(at, DnsWire.query("pi.lab.test.", Type.A)).getRcode());
      assertEquals(Rcode.SERVFAIL, DnsWire.udp(at, DnsWire.query("LAB.test.", Type.SOA)).getRcode());
      // names in no zone, stored or not: as ever
      assertEquals(Rcode.REFUSED, DnsWire.udp(at, DnsWire.query("www.example.org.", Type.A)).getRcode());
      // UPDATE cannot be applied before the store is open
      Update update = new Update(LAB);
      update.add(name("new.lab.test."), Type.A, 60, "192.0.2.9");
      Message updateReply = new Message(DnsWire.udp(at, update.toWire()));
      assertEquals(Opcode.UPDATE, updateReply.getHeader().getOpcode());
      assertEquals(Rcode.SERVFAIL, updateReply.getRcode());

      release.countDown();
      server.awaitStore();

      Message pi = DnsWire.udp(at, DnsWire.query("pi.lab.test.", Type.A));
      assertEquals(Rcode.NOERROR, pi.getRcode());
      assertTrue(pi.getHeader().getFlag(Flags.AA));
      assertEquals("192.0.2.50", ((ARecord) pi.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
      // UPDATE now reaches the responder: unsigned, so REFUSED (RFC 2136 with TSIG required)
      assertEquals(Rcode.REFUSED, new Message(DnsWire.udp(at, update.toWire())).getRcode());
      assertEquals(Rcode.NOERROR, DnsWire.udp(at, DnsWire.query("www.example.test.", Type.A)).getRcode());
    }
  }

  @Test
  void withoutAStoreFileNothingWaits() throws Exception {
    Path data = dir.resolve("fresh");
    CountDownLatch release = new CountDownLatch(1);
    StoreOpener held = config -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new MemoryZoneStore();
    };
    try (NamudServer server = NamudServer.launch(NamudCommandLine.parse(flags(data)), held)) {
      InetSocketAddress at = server.boundAddresses().get(0);
      // a new store holds no zones: names outside the files are answered as ever, at once
      assertEquals(Rcode.REFUSED, DnsWire.udp(at, DnsWire.query("pi.lab.test.", Type.A)).getRcode());
      assertEquals(Rcode.NOERROR, DnsWire.udp(at, DnsWire.query("www.example.test.", Type.A)).getRcode());
      // and the new store's (empty) list is there already, should namud be killed now
      assertEquals(java.util.Optional.of(java.util.Set.of()), new StoredZoneCatalog(data).read());
      release.countDown();
      server.awaitStore();
    }
  }

  @Test
  void aStoreThatCannotOpenEndsTheServerWithItsReason() throws Exception {
    StoreOpener broken = config -> {
      throw new IllegalStateException("cannot open zone store jdbc:test: locked by another process");
    };
    NamudServer server = NamudServer.launch(NamudCommandLine.parse(flags(dataWithStoredLab())), broken);
    InetSocketAddress at = server.boundAddresses().get(0);
    NamudStartException e = assertThrows(NamudStartException.class, server::awaitStore);
    assertEquals("cannot open zone store jdbc:test: locked by another process", e.getMessage());
    // closed: the port is free again
    try (DatagramSocket again = new DatagramSocket(at)) {
      assertFalse(again.isClosed());
    }
    server.close();
  }

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  private static java.net.InetAddress address(String s) {
    try {
      return java.net.InetAddress.getByName(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
