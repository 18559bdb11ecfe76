package dev.namu.resolver.scrub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.namu.resolver.transport.ReplyDecoder;
import dev.namu.resolver.transport.ReplyMatcher;
import java.io.IOException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Any reply the transport reads ({@link ReplyDecoder}) and takes ({@link ReplyMatcher}) as the
 * answer to its own question (else www.example.com A), scrubbed for that question as asked of a
 * server of the zone one label up (a question in a delegation): nothing throws, and what is kept
 * is what the server may say (RFC 5452 6): the chain starts at the question name (or a DNAME
 * above it), authority is NS or SOA and additional A or AAAA, all of class IN and inside the
 * bailiwick.
 */
class ScrubberFuzzTest {
  private static final Name DEFAULT_QNAME = Name.fromConstantString("www.example.com.");

  @FuzzTest(maxDuration = "3m")
  void replyInADelegation(byte[] packet) {
    if (packet == null) {
      return;
    }
    Message reply;
    try {
      reply = ReplyDecoder.decode(packet);
    } catch (IOException e) {
      return; // not a reply the transport reads: it never reaches the scrubber
    }
    Record question = reply.getQuestion();
    Name qname = question != null ? question.getName() : DEFAULT_QNAME;
    int qtype = question != null ? question.getType() : Type.A;
    Message query = Message.newQuery(Record.newRecord(qname, qtype,
        question != null ? question.getDClass() : DClass.IN));
    query.getHeader().setID(reply.getHeader().getID());
    if (!ReplyMatcher.matches(query, reply)) {
      return; // the transport drops it (not a reply, or another opcode): it never reaches the scrubber
    }
    Name zone = qname.labels() > 1 ? new Name(qname, 1) : Name.root;

    ScrubbedResponse r = Scrubber.scrub(reply, qname, qtype, zone, 13);

    if (!r.chain().isEmpty()) {
      RRset first = r.chain().get(0);
      // a DNAME above the question name starts its chain (RFC 6672 2.2); anything else is owned by it
      boolean start = first.getType() == Type.DNAME
          ? qname.subdomain(first.getName())
          : first.getName().equals(qname);
      assertTrue(start, "the chain starts at the question " + qname + ": " + first);
    }
    for (RRset set : r.chain()) {
      assertEquals(DClass.IN, set.getDClass(), "class IN");
    }
    for (RRset set : r.authority()) {
      assertTrue(set.getType() == Type.NS || set.getType() == Type.SOA, "authority: " + set);
      assertTrue(set.getName().subdomain(zone), "authority inside " + zone + ": " + set);
      assertEquals(DClass.IN, set.getDClass(), "class IN");
      if (set.getType() == Type.NS) {
        assertTrue(set.size() <= 13, "NS set bounded: " + set.size());
      }
    }
    for (RRset set : r.additional()) {
      assertTrue(set.getType() == Type.A || set.getType() == Type.AAAA, "additional: " + set);
      assertTrue(set.getName().subdomain(zone), "additional inside " + zone + ": " + set);
      assertEquals(DClass.IN, set.getDClass(), "class IN");
    }
  }
}
