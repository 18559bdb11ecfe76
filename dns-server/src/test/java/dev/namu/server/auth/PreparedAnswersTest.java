package dev.namu.server.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.intake.QuestionKey;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.registry.ZoneSet;
import org.junit.jupiter.api.Test;
import dev.namu.zones.model.ZoneSnapshot;
import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The byte bound and the generations of the prepared-answer store. */
class PreparedAnswersTest {
  /** The answer the stored bytes were written from: a name no zone of these sets serves. */
  private static final Message ANSWER =
      Message.newQuery(Record.newRecord(Name.fromConstantString("x.test."), Type.A, DClass.IN));

  private static QuestionKey key(int i) {
    byte[] name = {3, (byte) ('a' + i % 26), (byte) ('a' + i / 26 % 26), (byte) ('a' + i / 676 % 26), 0};
    return new QuestionKey(name, 1, 1, false, false);
  }

  @Test
  void storedRepliesAreFoundOnlyForTheirZoneSet() {
    ZoneRegistry registry = new ZoneRegistry();
    PreparedAnswers prepared = new PreparedAnswers(registry::current, 1 << 20);
    ZoneSet first = registry.current();
    byte[] reply = new byte[40];
    prepared.store(first, key(1), reply, ANSWER);
    assertArrayEquals(reply, prepared.find(first, key(1)));
    assertNull(prepared.find(first, key(2)));
    registry.publish(ZoneSet.of(LocalZones.notCoveredBy(ZoneSet.empty())));
    assertNull(prepared.find(registry.current(), key(1)), "a new zone set starts empty");
    prepared.store(registry.current(), key(2), reply, ANSWER);
    assertArrayEquals(reply, prepared.find(registry.current(), key(2)));
    assertNull(prepared.find(first, key(1)), "the old generation is gone");
    // an answer built from the old set never lands in the new generation
    prepared.store(first, key(3), reply, ANSWER);
    assertNull(prepared.find(first, key(3)));
    assertNull(prepared.find(registry.current(), key(3)));
    assertEquals(1, prepared.size());
  }

  @Test
  void theByteBoundIsNeverPassedAndTheStoreStartsOverWhenFull() {
    ZoneRegistry registry = new ZoneRegistry();
    long max = 10_000;
    PreparedAnswers prepared = new PreparedAnswers(registry::current, max);
    ZoneSet zones = registry.current();
    byte[] reply = new byte[100];
    // each entry costs 100 + 5 + 96 bytes: 49 fit in 10,000
    long most = 0;
    for (int i = 0; i < 500; i++) {
      prepared.store(zones, key(i), reply, ANSWER);
      most = Math.max(most, prepared.size());
      assertTrue(prepared.size() * (100 + 5 + 96) <= max, "over the bound at " + i);
    }
    assertEquals(49, most);
    // after starting over, new answers are kept and served again
    prepared.store(zones, key(7000), reply, ANSWER);
    prepared.store(zones, key(7000), reply, ANSWER); // the first may have been the one that started over
    assertArrayEquals(reply, prepared.find(zones, key(7000)));
  }

  @Test
  void aNewZoneSetKeepsTheAnswersOfItsUnchangedZonesOnlyWhileItServesTheSameZones() throws Exception {
    ZoneSnapshot lab = zone("lab.test.", "192.0.2.1");
    ZoneSnapshot other = zone("other.test.", "192.0.2.1");
    ZoneRegistry registry = new ZoneRegistry(ZoneSet.of(List.of(lab, other)));
    // carried over on the calling thread, so each step is seen at once
    PreparedAnswers prepared =
        new PreparedAnswers(new WireAnswers(registry::current, 1 << 20, Runnable::run));
    byte[] reply = new byte[40];
    prepared.store(registry.current(), key(1), reply, answerFor("www.lab.test."));
    prepared.store(registry.current(), key(2), reply, answerFor("www.other.test."));
    prepared.store(registry.current(), key(3), reply, chainFor("alias.lab.test.", "www.other.test."));

    registry.publish(registry.current().with(zone("other.test.", "192.0.2.2")));
    prepared.store(registry.current(), key(4), reply, answerFor("www.other.test."));
    assertArrayEquals(reply, prepared.find(registry.current(), key(1)), "the unchanged zone's answer stays");
    assertNull(prepared.find(registry.current(), key(2)), "the changed zone's answer goes");
    assertNull(prepared.find(registry.current(), key(3)), "a chain into the changed zone goes");

    registry.publish(registry.current().with(zone("new.test.", "192.0.2.3")));
    prepared.store(registry.current(), key(5), reply, answerFor("www.new.test."));
    assertNull(prepared.find(registry.current(), key(1)), "a zone added moves where questions go: all go");
    assertEquals(1, prepared.size());
  }

  private static ZoneSnapshot zone(String origin, String address) throws Exception {
    Name o = Name.fromString(origin);
    return ZoneSnapshot.build(o, List.of(
        new SOARecord(o, DClass.IN, 300, Name.fromString("ns", o), Name.fromString("h", o), 1, 3600, 600, 86400, 60),
        new NSRecord(o, DClass.IN, 300, Name.fromString("ns", o)),
        new ARecord(Name.fromString("ns", o), DClass.IN, 300, InetAddress.getByName("192.0.2.53")),
        new ARecord(Name.fromString("www", o), DClass.IN, 300, InetAddress.getByName(address))));
  }

  private static Message answerFor(String name) {
    return Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN));
  }

  private static Message chainFor(String name, String target) {
    Message m = answerFor(name);
    m.addRecord(new CNAMERecord(Name.fromConstantString(name), DClass.IN, 300, Name.fromConstantString(target)),
        Section.ANSWER);
    return m;
  }
}
