package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Validation of a cold cache under concurrent questions: many names of many signed leaves asked
 * at once of a fresh namud all validate (the DS and DNSKEY lookups of the chain are shared by the
 * questions that need them), and a chain lookup that fails is a resolution failure for a moment,
 * not a bogus verdict kept after the servers answer again (RFC 4035 4.3, RFC 9520 3).
 */
class ColdValidationTest {
  private static final String ROOT = "127.0.71.1";
  private static final String TLD = "127.0.71.2";
  private static final String LEAF = "127.0.71.3";
  private static final String RELAY = "127.0.71.4";
  private static final int LEAVES = 30;
  private static final int NAMES = 20;
  private static final int IN_FLIGHT = 32;
  private static final int TIMEOUT_MS = 20_000;

  @TempDir Path dir;

  private static Map<String, SignedHierarchy.Leaf> leaves(int count) {
    Map<String, SignedHierarchy.Leaf> out = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      out.put("c" + i + ".test.", new SignedHierarchy.Leaf("ECDSAP256SHA256", true, false, null));
    }
    return out;
  }

  private NamudServer namud(SignedHierarchy h) throws IOException {
    return NamudServer.start("--listen", "127.0.0.1:0", "--no-api", "--no-metrics",
        "--data", dir.resolve("namud-data").toString(),
        "--zones", Files.createDirectories(dir.resolve("no-zones")).toString(),
        "--root-hints", h.hints.toString(), "--upstream-port", Integer.toString(h.port),
        "--no-local-zone", "test", "--log-level", "WARN", "--trust-anchor", h.anchor.toString());
  }

  private static Message ask(NamudServer server, String name) throws IOException {
    InetSocketAddress to = server.boundAddresses().get(0);
    byte[] reply = DnsWire.udp(to, DnsWire.queryEdns(name, Type.A, 1232, true).toWire(), TIMEOUT_MS);
    assertNotNull(reply, () -> "no reply to " + name + " within " + TIMEOUT_MS + " ms");
    return new Message(reply);
  }

  private static int ede(Message m) {
    OPTRecord opt = m.getOPT();
    if (opt == null) {
      return -1;
    }
    for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
      return ((ExtendedErrorCodeOption) o).getErrorCode();
    }
    return -1;
  }

  private static String edeText(Message m) {
    OPTRecord opt = m.getOPT();
    if (opt == null) {
      return "";
    }
    for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
      return ((ExtendedErrorCodeOption) o).getText();
    }
    return "";
  }

  /**
   * The names of 30 signed leaves asked {@link #IN_FLIGHT} at a time of a fresh namud: none is
   * judged bogus, and every one is secure at last. A name whose own resolution failed (an
   * upstream timeout on a busy machine, which happens with validation off too) may fail in the
   * first pass, with a resolution failure; it is asked again once such failures are forgotten.
   */
  @Test
  void everyNameOfManySignedLeavesAskedAtOnceOfAColdCacheIsSecure() throws Exception {
    try (SignedHierarchy h = SignedHierarchy.start(dir,
        new SignedHierarchy.Layout(ROOT, TLD, LEAF, RELAY, "none.", leaves(LEAVES), NAMES))) {
      List<String> names = new ArrayList<>();
      for (String leaf : h.layout.leaves().keySet()) {
        for (int i = 0; i < NAMES; i++) {
          names.add("h" + i + "." + leaf);
        }
      }
      Collections.shuffle(names, new Random(18));
      assertEquals(LEAVES * NAMES, names.size());
      Map<String, String> notSecure = new ConcurrentHashMap<>();
      Map<String, String> bogus = new ConcurrentHashMap<>();
      ExecutorService clients = Executors.newFixedThreadPool(IN_FLIGHT);
      try (NamudServer namud = namud(h)) {
        List<Future<?>> asked = new ArrayList<>();
        for (String name : names) {
          asked.add(clients.submit(() -> {
            Message m = ask(namud, name);
            if (!secure(m)) {
              notSecure.put(name, describe(m));
              // a DNSSEC error, other than a lookup of the chain that failed (DNSKEY Missing, 9)
              int ede = ede(m);
              if (ede >= ExtendedErrorCodeOption.DNSSEC_BOGUS && ede <= ExtendedErrorCodeOption.NSEC_MISSING
                  && !edeText(m).startsWith("DNSSEC chain lookup")) {
                bogus.put(name, describe(m));
              }
            }
            return null;
          }));
        }
        for (Future<?> f : asked) {
          f.get(2L * TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        assertTrue(bogus.isEmpty(), () -> bogus.size() + " of " + names.size()
            + " names judged bogus: " + new TreeMap<>(bogus));
        // resolution failures are remembered a few seconds (RFC 9520 3.2); then each name resolves
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!notSecure.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(1000);
          for (String name : List.copyOf(notSecure.keySet())) {
            Message m = ask(namud, name);
            if (secure(m)) {
              notSecure.remove(name);
            } else {
              notSecure.put(name, describe(m));
            }
          }
        }
      } finally {
        clients.shutdownNow();
      }
      assertTrue(notSecure.isEmpty(), () -> notSecure.size() + " of " + names.size()
          + " names still not answered NOERROR with AD: " + new TreeMap<>(notSecure));
    }
  }

  private static boolean secure(Message m) {
    return m.getRcode() == Rcode.NOERROR && m.getHeader().getFlag(Flags.AD);
  }

  private static String describe(Message m) {
    return Rcode.string(m.getRcode()) + " ede " + ede(m) + " " + edeText(m) + " ad " + m.getHeader().getFlag(Flags.AD);
  }

  @Test
  void aDsLookupThatTimesOutIsAResolutionFailureNotRememberedAsBogus() throws Exception {
    // test.'s NS is the relay: it drops the DS queries while the test says so
    try (SignedHierarchy h = SignedHierarchy.start(dir,
        new SignedHierarchy.Layout(ROOT, TLD, LEAF, RELAY, "test.", leaves(1), 0));
        NamudServer namud = namud(h)) {
      h.relay().drop(Type.DS);
      Message failed = ask(namud, "www.c0.test.");
      assertTrue(h.relay().dropped() > 0, "the relay dropped no DS query: nothing was tested");
      assertEquals(Rcode.SERVFAIL, failed.getRcode(), failed::toString);
      assertNotEquals(ExtendedErrorCodeOption.DNSSEC_BOGUS, ede(failed),
          () -> "a lookup that got no answer proves nothing bogus (RFC 4035 4.3): " + failed);
      h.relay().drop(-1);
      // the failure is remembered a few seconds (RFC 9520 3.2), far less than a bogus verdict
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Message again;
      do {
        again = ask(namud, "www.c0.test.");
        if (again.getRcode() == Rcode.NOERROR) {
          break;
        }
        Thread.sleep(250);
      } while (System.nanoTime() < deadline);
      Message last = again;
      assertEquals(Rcode.NOERROR, last.getRcode(), () -> "still failing once test.'s server answers DS: " + last);
      assertTrue(last.getHeader().getFlag(Flags.AD), last::toString);
    }
  }
}
