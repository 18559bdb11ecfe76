package dev.namu.server.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.namu.server.DnsWire;
import dev.namu.server.TestZones;
import dev.namu.server.intake.Transport;
import dev.namu.server.intake.WireHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Malformed and odd messages through the whole pipeline: BIND's fuzzing corpus when the shared
 * conformance material sits beside the repository, and a generated corpus always. No input may
 * throw, and every reply must parse, carry the query's ID and have QR set.
 */
class MalformedCorpusTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

  @TempDir Path zonesDir;
  private QueryProcessor processor;
  private ReplyCounters counters;

  @BeforeEach
  void setUp() throws IOException {
    counters = new ReplyCounters();
    processor = TestZones.pipeline(zonesDir, counters);
  }

  /**
   * The shared conformance folder: {@code -Dnamu.conformance.dir=DIR}, else {@code
   * shared/conformance} beside the repository or its parent ({@code ../shared} of /work/main and
   * of the worktrees below /work/wt), as the resolver's replay finds it. A clone without any
   * {@code shared} directory skips, saying so.
   */
  static Path conformanceDir() {
    String override = System.getProperty("namu.conformance.dir");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    Path module = Path.of("").toAbsolutePath();
    Path repoRoot = Files.isDirectory(module.resolve("dns-server")) ? module : module.getParent();
    Optional<Path> shared =
        Stream.of(repoRoot.resolveSibling("shared"), repoRoot.getParent().resolveSibling("shared"))
            .filter(Files::isDirectory)
            .findFirst();
    Assumptions.assumeTrue(shared.isPresent(), "BIND corpus NOT run: no shared/conformance beside "
        + repoRoot + " (a clone without the conformance material); give it with -Dnamu.conformance.dir=DIR");
    return shared.get().resolve("conformance");
  }

  @Test
  void bindFuzzCorpus() throws IOException {
    Path dir = conformanceDir().resolve("bind-fuzz/dns_message_parse");
    if (!Files.isDirectory(dir)) {
      fail("no BIND corpus at " + dir + " although the conformance material belongs there");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    int replied = 0;
    for (Path f : files) {
      byte[] packet = Files.readAllBytes(f);
      replied += check(packet, f.getFileName().toString());
    }
    System.out.println(
        "MalformedCorpusTest: BIND corpus " + files.size() + " messages, " + replied + " replies");
    assertTrue(files.size() > 0);
    assertEquals(0, counters.internalErrorCount(), "no internal errors on the BIND corpus");
  }

  @Test
  void generatedCorpus() {
    Random random = new Random(1234567L);
    List<byte[]> seeds = new ArrayList<>();
    for (String n : new String[] {"www.example.test.", "big.example.test.", "x.wild.example.test.", "a.b.c."}) {
      seeds.add(DnsWire.query(n, Type.A).toWire());
      seeds.add(DnsWire.queryEdns(n, Type.TXT, 1232, true).toWire());
    }
    int replied = 0;
    for (int i = 0; i < 4000; i++) {
      byte[] packet;
      byte[] seed = seeds.get(random.nextInt(seeds.size()));
      switch (i % 4) {
        case 0 -> {
          packet = new byte[random.nextInt(120)];
          random.nextBytes(packet);
        }
        case 1 -> {
          packet = seed.clone();
          for (int k = 0; k < 1 + random.nextInt(4); k++) {
            packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
          }
        }
        case 2 -> packet = java.util.Arrays.copyOf(seed, random.nextInt(seed.length + 8));
        default -> {
          packet = seed.clone();
          // counts and flags at random: extra sections, odd opcodes, QR
          for (int k = 2; k < 12; k++) {
            if (random.nextInt(3) == 0) {
              packet[k] = (byte) random.nextInt(256);
            }
          }
        }
      }
      replied += check(packet, "generated #" + i);
    }
    assertTrue(replied > 1000, "most generated packets get a reply: " + replied);
    assertEquals(0, counters.internalErrorCount(), "no internal errors on the generated corpus");
  }

  /** Runs one packet over both transports; returns the number of replies (0-2). */
  private int check(byte[] packet, String what) {
    int replies = 0;
    for (Transport t : Transport.values()) {
      Reply reply = processor.process(packet, t, PEER, UnpooledByteBufAllocator.DEFAULT);
      assertTrue(reply instanceof Reply.Now || reply instanceof Reply.None, what);
      if (reply instanceof Reply.Now now) {
        ByteBuf b = now.wire();
        byte[] wire = ByteBufUtil.getBytes(b);
        b.release();
        Message m;
        try {
          m = new Message(wire);
        } catch (IOException e) {
          throw new AssertionError(what + ": reply does not parse: " + e);
        }
        assertEquals(WireHeader.id(packet), m.getHeader().getID(), what);
        assertTrue(m.getHeader().getFlag(Flags.QR), what);
        if (t == Transport.UDP) {
          assertTrue(wire.length <= 1232, what + ": UDP reply of " + wire.length);
        }
        replies++;
      } else {
        assertTrue(packet.length < 12 || (packet[2] & 0x80) != 0, what + ": dropped a query");
      }
    }
    return replies;
  }
}
