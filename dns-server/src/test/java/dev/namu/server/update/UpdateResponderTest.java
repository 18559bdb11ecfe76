package dev.namu.server.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.pipeline.AnswerTimes;
import dev.namu.server.NamudServer;
import dev.namu.server.intake.Request;
import dev.namu.server.intake.Transport;
import dev.namu.server.pipeline.QueryProcessor;
import dev.namu.server.pipeline.Reply;
import dev.namu.server.pipeline.ReplyCounters;
import dev.namu.server.pipeline.UnloadedZones;
import dev.namu.server.pipeline.UpdateHandler;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.StoredKey;
import dev.namu.zones.store.memory.MemoryZoneStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Record;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

class UpdateResponderTest {

  static final String SECRET = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  static final String SECRET512 = Base64.getEncoder().encodeToString(new byte[64]);

  MemoryZoneStore store;
  ZoneRegistry registry;
  ZoneEditor editor;
  QueryProcessor pipeline;
  final Name zone = name("example.test.");
  static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

  static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Record rec(String owner, long ttl, int type, String rdata) throws Exception {
    return Record.fromString(name(owner), type, DClass.IN, ttl, rdata, Name.root);
  }

  @BeforeEach
  void setUp() throws Exception {
    store = new MemoryZoneStore();
    registry = new ZoneRegistry();
    editor = ZoneEditor.open(store, registry);
    editor.create(zone, List.of(
        rec("example.test.", 3600, Type.SOA, "ns1.example.test. admin.example.test. 1 3600 600 86400 300"),
        rec("example.test.", 3600, Type.NS, "ns1.example.test."),
        rec("ns1.example.test.", 3600, Type.A, "192.0.2.1")), "test");
    store.putKey(new StoredKey(name("acme."), "hmac-sha256", SECRET, Instant.now()));
    store.putKey(new StoredKey(name("big."), "hmac-sha512", SECRET512, Instant.now()));
    TsigKeyring keyring = new TsigKeyring(store);
    UpdateResponder responder = new UpdateResponder(editor, keyring::scope);
    UpdateHandler updates = new UpdateHandler() {
      @Override
      public CompletionStage<Integer> update(Request request) {
        return CompletableFuture.completedFuture(
            responder.respond(request.query(), request.signature(), request.peer().getAddress()));
      }

      @Override
      public RequestSignature signature(Message query, byte[] packet) {
        return keyring.check(query, packet);
      }
    };
    // the server's pipeline, so that the replies are the ones the reply writer writes
    pipeline = NamudServer.processor(registry, NamudServer.zoneLookup(), null, new ReplyCounters(),
        updates, null, null, UnloadedZones.NONE, AnswerTimes.NONE, null,
        dev.namu.server.config.RateLimitConfig.off());
  }

  /** The reply the pipeline sends to {@code wire} over UDP, or empty when it sends none. */
  private Optional<byte[]> respond(byte[] wire) throws Exception {
    Reply reply = pipeline.process(wire, Transport.UDP, CLIENT, UnpooledByteBufAllocator.DEFAULT);
    ByteBuf out;
    if (reply instanceof Reply.Now now) {
      out = now.wire();
    } else if (reply instanceof Reply.Later later) {
      out = later.wire().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } else {
      return Optional.empty();
    }
    try {
      return Optional.of(ByteBufUtil.getBytes(out));
    } finally {
      out.release();
    }
  }

  private Message send(Message m, TSIG key) throws Exception {
    org.xbill.DNS.TSIGRecord sent = null;
    if (key != null) {
      key.apply(m, null);
      sent = m.getTSIG();
    }
    byte[] out = respond(m.toWire(65535)).orElseThrow();
    Message response = new Message(out);
    assertEquals(m.getHeader().getID(), response.getHeader().getID());
    if (key != null && response.getTSIG() != null && response.getTSIG().getError() == Rcode.NOERROR) {
      // The answer is signed with the same key and verifies against the request's MAC.
      assertEquals(Rcode.NOERROR, key.verify(response, out, sent));
    }
    return response;
  }

  private ZoneSnapshot served() {
    return registry.current().zone(zone);
  }

  private boolean served(String owner, int type) {
    return served().records().stream().anyMatch(r -> r.getName().equals(name(owner)) && r.getType() == type);
  }

  private static TSIG acme() {
    return new TSIG(TSIG.HMAC_SHA256, name("acme."), Base64.getDecoder().decode(SECRET));
  }

  @Test
  void anAdditionWithoutRdataIsFormerrAndChangesNothing() throws Exception {
    Update update = new Update(zone);
    // an SOA (or any record) added with RDLENGTH 0
    update.add(Record.newRecord(zone, Type.SOA, DClass.IN, 3600));
    long serial = served().soa().getSerial();
    Message r = send(update, acme());
    assertEquals(Rcode.FORMERR, r.getRcode(), r.toString());
    assertEquals(serial, served().soa().getSerial());
  }

  @Test
  void aDeletionOfOneRecordWithoutRdataIsFormerrAndChangesNothing() throws Exception {
    // class NONE names the one record to delete by its RDATA (RFC 2136 2.5.4); a DHCID so sent
    // with RDLENGTH 0 became a record with no data, whose printing threw in the zone's writer
    Update update = new Update(zone);
    update.addRecord(Record.newRecord(name("ns1.example.test."), Type.DHCID, DClass.NONE, 0), Section.UPDATE);
    long serial = served().soa().getSerial();
    Message r = send(update, acme());
    assertEquals(Rcode.FORMERR, r.getRcode(), r.toString());
    assertEquals(serial, served().soa().getSerial());
  }

  @Test
  void anAdditionWithATtlAbove2To31IsFormerrAndChangesNothing() throws Exception {
    // RFC 2181 8: a TTL is 0..2^31-1. dnsjava reads a larger one from the wire but refuses to
    // build a record with it: the zone's writer threw, a SERVFAIL with an error logged.
    Update update = new Update(zone);
    update.add(name("big-ttl.example.test."), Type.TXT, 1_234_567, "\"x\"");
    byte[] wire = update.toWire(65535);
    int at = indexOf(wire, new byte[] {0x00, 0x12, (byte) 0xd6, (byte) 0x87}); // 1,234,567
    byte[] over = {(byte) 0xfa, (byte) 0xff, 0x0d, 0x10}; // 4,211,019,024
    System.arraycopy(over, 0, wire, at, over.length);
    long serial = served().soa().getSerial();
    Message r = send(new Message(wire), acme());
    assertEquals(Rcode.FORMERR, r.getRcode(), r.toString());
    assertEquals(serial, served().soa().getSerial());
    assertFalse(served("big-ttl.example.test.", Type.TXT));
  }

  private static int indexOf(byte[] in, byte[] part) {
    for (int i = 0; i + part.length <= in.length; i++) {
      if (Arrays.equals(in, i, i + part.length, part, 0, part.length)) return i;
    }
    throw new AssertionError("not in the message");
  }

  @Test
  void signedAddAndDelete() throws Exception {
    Update add = new Update(zone);
    add.add(name("_acme-challenge.example.test."), Type.TXT, 60, "\"token-1\"");
    Message r = send(add, acme());
    assertEquals(Rcode.NOERROR, r.getRcode());
    assertNotNull(r.getTSIG());
    assertTrue(served("_acme-challenge.example.test.", Type.TXT));
    assertEquals(2, served().serial());
    assertEquals("key:acme.", store.journal(zone, 1).get(0).actor());

    Update del = new Update(zone);
    del.delete(name("_acme-challenge.example.test."), Type.TXT);
    assertEquals(Rcode.NOERROR, send(del, acme()).getRcode());
    assertFalse(served("_acme-challenge.example.test.", Type.TXT));
    assertEquals(3, served().serial());
  }

  @Test
  void hmacSha512Works() throws Exception {
    Update add = new Update(zone);
    add.add(name("x.example.test."), Type.A, 60, "192.0.2.7");
    TSIG big = new TSIG(TSIG.HMAC_SHA512, name("big."), new byte[64]);
    assertEquals(Rcode.NOERROR, send(add, big).getRcode());
    assertTrue(served("x.example.test.", Type.A));
  }

  @Test
  void unsignedIsRefusedAndChangesNothing() throws Exception {
    ZoneSnapshot before = served();
    Update add = new Update(zone);
    add.add(name("x.example.test."), Type.A, 60, "192.0.2.7");
    assertEquals(Rcode.REFUSED, send(add, null).getRcode());
    assertSame(before, served());
  }

  @Test
  void wrongSecretIsNotauthBadsig() throws Exception {
    ZoneSnapshot before = served();
    Update add = new Update(zone);
    add.add(name("x.example.test."), Type.A, 60, "192.0.2.7");
    TSIG wrong = new TSIG(TSIG.HMAC_SHA256, name("acme."), "wrong-secret-wrong-secret-wrong!".getBytes());
    Message r = send(add, wrong);
    assertEquals(Rcode.NOTAUTH, r.getHeader().getRcode());
    assertEquals(Rcode.BADSIG, r.getTSIG().getError());
    assertSame(before, served());
  }

  @Test
  void unknownKeyIsNotauthBadkey() throws Exception {
    ZoneSnapshot before = served();
    Update add = new Update(zone);
    add.add(name("x.example.test."), Type.A, 60, "192.0.2.7");
    Message r = send(add, new TSIG(TSIG.HMAC_SHA256, name("nobody."), Base64.getDecoder().decode(SECRET)));
    assertEquals(Rcode.NOTAUTH, r.getHeader().getRcode());
    assertEquals(Rcode.BADKEY, r.getTSIG().getError());
    assertSame(before, served());
  }

  @Test
  void prerequisitesDecide() throws Exception {
    Update u = new Update(zone);
    u.present(name("nas.example.test."));
    u.add(name("nas.example.test."), Type.TXT, 60, "\"x\"");
    assertEquals(Rcode.NXDOMAIN, send(u, acme()).getRcode());
    Update v = new Update(zone);
    v.absent(name("ns1.example.test."));
    assertEquals(Rcode.YXDOMAIN, send(v, acme()).getRcode());
    Update w = new Update(zone);
    w.present(name("ns1.example.test."), Type.MX);
    assertEquals(Rcode.NXRRSET, send(w, acme()).getRcode());
    Update x = new Update(zone);
    x.absent(name("ns1.example.test."), Type.A);
    assertEquals(Rcode.YXRRSET, send(x, acme()).getRcode());
    Update y = new Update(zone);
    y.present(rec("ns1.example.test.", 0, Type.A, "192.0.2.1"));
    y.add(name("ok.example.test."), Type.A, 60, "192.0.2.9");
    assertEquals(Rcode.NOERROR, send(y, acme()).getRcode());
    assertTrue(served("ok.example.test.", Type.A));
    assertEquals(2, served().serial());
  }

  @Test
  void outOfZoneIsNotzoneAndUnknownZoneNotauth() throws Exception {
    Update u = new Update(zone);
    u.add(name("www.other.test."), Type.A, 60, "192.0.2.9");
    assertEquals(Rcode.NOTZONE, send(u, acme()).getRcode());
    Update v = new Update(name("other.test."));
    v.add(name("www.other.test."), Type.A, 60, "192.0.2.9");
    assertEquals(Rcode.NOTAUTH, send(v, acme()).getRcode());
  }

  @Test
  void cnameConflictIsIgnoredPerRfc2136() throws Exception {
    Update u = new Update(zone);
    u.add(name("ns1.example.test."), Type.CNAME, 60, "elsewhere.test.");
    assertEquals(Rcode.NOERROR, send(u, acme()).getRcode());
    assertFalse(served("ns1.example.test.", Type.CNAME));
    assertEquals(1, served().serial());
  }

  @Test
  void mutatedSignedUpdatesNeverThrowAndChangeNothing() throws Exception {
    Update add = new Update(zone);
    add.add(name("x.example.test."), Type.A, 60, "192.0.2.7");
    acme().apply(add, null);
    byte[] valid = add.toWire(65535);
    ZoneSnapshot before = served();
    java.util.Random random = new java.util.Random(1234);
    for (int i = 0; i < 3000; i++) {
      byte[] junk = valid.clone();
      int flips = 1 + random.nextInt(4);
      for (int k = 0; k < flips; k++) {
        int at = 3 + random.nextInt(junk.length - 3);
        if (at == junk.length - 6 || at == junk.length - 5) {
          // TSIG Original ID (RFC 8945 4.2): dnsjava digests the header's ID, so a changed Original ID
          // leaves the same, still authentic, update; not a mutation this test is about.
          at = 3;
        }
        junk[at] = (byte) (junk[at] ^ (1 + random.nextInt(255))); // always a change
      }
      if (i % 5 == 0) {
        junk = java.util.Arrays.copyOf(junk, random.nextInt(junk.length));
      }
      java.util.Optional<byte[]> out = respond(junk);
      // a response (QR set) is never answered (RFC 1035 7.3)
      if (junk.length >= 12 && (junk[2] & 0x80) == 0) {
        assertTrue(out.isPresent(), "a message with a header gets an answer");
        int rcode = out.get()[3] & 0xf;
        assertTrue(rcode != Rcode.NOERROR && rcode != Rcode.SERVFAIL, "rcode " + rcode + " for mutation " + i
            + ": " + diff(valid, junk));
      }
    }
    assertSame(before, served());
  }

  private static String diff(byte[] a, byte[] b) {
    StringBuilder d = new StringBuilder("length " + a.length + "->" + b.length);
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] != b[i]) {
        d.append(" @").append(i).append(' ').append(a[i] & 0xff).append("->").append(b[i] & 0xff);
      }
    }
    return d.toString();
  }

  @Test
  void garbageGetsFormerrOrNothing() throws Exception {
    assertTrue(respond(new byte[] {1, 2, 3}).isEmpty());
    byte[] bad = new byte[] {0x12, 0x34, 0x28, 0, 0, 5, 0, 0, 0, 0, 0, 0, 9, 9};
    byte[] out = respond(bad).orElseThrow();
    assertEquals(0x12, out[0]);
    assertEquals(0x34, out[1]);
    assertEquals(Rcode.FORMERR, out[3] & 0xf);
  }
}
