package dev.namu.server.transfer;

import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneSet;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * NOTIFY out (RFC 1996): tells a zone's secondaries (its also-notify targets) that it changed, so
 * they ask for the new version at once rather than at their next refresh.
 *
 * <p>Changes are seen as the zone set is published, whatever made them (API, UPDATE, a zone file
 * reloaded): a zone whose serial moved is marked dirty and one NOTIFY per target is sent a short
 * while later, and no sooner than {@link #MIN_INTERVAL} after the previous one, as Knot and BIND
 * do; so a burst of a thousand edits sends a few NOTIFYs per target, each for the serial served
 * when it goes. Each is tried up to {@link #TRIES} times with doubling waits until a NOERROR reply
 * (RFC 1996 3.6: the primary retries an unanswered NOTIFY). All of it runs on the transfer threads:
 * an edit never waits for it.
 */
public final class Notifier {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  /** From the first change of a burst to its NOTIFY: the rest of the burst rides along. */
  static final Duration DELAY = Duration.ofMillis(200);
  /** Least time between two NOTIFYs of one zone (the rate limit of a long burst). */
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  /** Tries per target and NOTIFY, the first included (RFC 1996 3.6 leaves the count to us; BIND: 5). */
  static final int TRIES = 5;
  /** Wait for the reply to the first try; each next try waits twice as long. */
  static final Duration FIRST_TIMEOUT = Duration.ofSeconds(1);

  private final Supplier<ZoneSet> zones;
  private final TransferPolicies policies;
  private final TransferCounters counters;
  private final ScheduledExecutorService threads;
  /** The serial each zone was last seen at. */
  private final Map<Name, Long> seen = new ConcurrentHashMap<>();
  /** The zones with a NOTIFY scheduled, not yet sent. */
  private final Map<Name, AtomicBoolean> scheduled = new ConcurrentHashMap<>();
  /** When each zone's last NOTIFY went, in nanoTime. */
  private final Map<Name, Long> lastSent = new ConcurrentHashMap<>();

  public Notifier(Supplier<ZoneSet> zones, TransferPolicies policies, TransferCounters counters,
      ScheduledExecutorService threads) {
    this.zones = zones;
    this.policies = policies;
    this.counters = counters;
    this.threads = threads;
  }

  /** A zone set was published: the zones whose serial moved get a NOTIFY soon. Never blocks. */
  public void published(ZoneSet set) {
    Set<Name> present = new HashSet<>();
    for (ZoneSnapshot z : set.zones()) {
      present.add(z.origin());
      Long before = seen.put(z.origin(), z.serial());
      if (before != null && before != z.serial()) {
        changed(z.origin());
      }
    }
    seen.keySet().retainAll(present);
  }

  /**
   * The zones are loaded (the store's published over the files'): each zone with secondaries to
   * notify gets a NOTIFY, as BIND and Knot send one when they load a zone, so a secondary that
   * missed a change while namud was down hears of it now rather than at its next refresh.
   */
  public void loaded() {
    for (ZoneSnapshot z : zones.get().zones()) {
      changed(z.origin());
    }
  }

  private void changed(Name origin) {
    if (policies.policy(origin).alsoNotify().isEmpty()) {
      return;
    }
    AtomicBoolean pending = scheduled.computeIfAbsent(origin, o -> new AtomicBoolean());
    if (!pending.compareAndSet(false, true)) {
      return; // the NOTIFY already scheduled will carry this change too
    }
    long now = System.nanoTime();
    long last = lastSent.getOrDefault(origin, now - MIN_INTERVAL.toNanos());
    long wait = Math.max(DELAY.toNanos(), last + MIN_INTERVAL.toNanos() - now);
    try {
      threads.schedule(() -> send(origin, pending), wait, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      pending.set(false);
    }
  }

  private void send(Name origin, AtomicBoolean pending) {
    // cleared before the zone is read: a change published from now on schedules another NOTIFY
    pending.set(false);
    lastSent.put(origin, System.nanoTime());
    ZoneSnapshot zone = zones.get().zone(origin);
    if (zone == null) {
      return;
    }
    Optional<TSIG> key = policies.signingKey(origin);
    for (InetSocketAddress target : policies.policy(origin).alsoNotify()) {
      attempt(zone, key, target, 1);
    }
  }

  private void attempt(ZoneSnapshot zone, Optional<TSIG> key, InetSocketAddress target, int tryNumber) {
    Duration timeout = FIRST_TIMEOUT.multipliedBy(1L << (tryNumber - 1));
    long began = System.nanoTime();
    String outcome = notifyOnce(zone, key, target, timeout);
    counters.notifySent();
    if (outcome == null) {
      log.debug("NOTIFY of {} serial {} to {} answered", zone.origin(), zone.serial(), NotifyTarget.format(target));
      return;
    }
    if (tryNumber < TRIES) {
      // a try refused or answered badly at once waits out its timeout too, so the tries are spread
      // over the same half minute whatever the secondary does
      long wait = Math.max(0, timeout.toNanos() - (System.nanoTime() - began));
      try {
        threads.schedule(() -> attempt(zone, key, target, tryNumber + 1), wait, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // namud is stopping
      }
      return;
    }
    counters.notifyFailed();
    log.warn("NOTIFY of {} serial {} to {} failed after {} tries ({}); the secondary learns of the change"
        + " at its next refresh", zone.origin(), zone.serial(), NotifyTarget.format(target), TRIES, outcome);
  }

  /** Sends one NOTIFY and waits for its reply: null when it was NOERROR, else what went wrong. */
  private static String notifyOnce(ZoneSnapshot zone, Optional<TSIG> key, InetSocketAddress target, Duration timeout) {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.NOTIFY);
    m.getHeader().setFlag(Flags.AA); // RFC 1996 3.7
    m.addRecord(Record.newRecord(zone.origin(), Type.SOA, DClass.IN), Section.QUESTION);
    // RFC 1996 3.7: the new SOA in the answer section, a hint the secondary may use
    m.addRecord(zone.soa(), Section.ANSWER);
    // signed here rather than by toWire, so the request's TSIG is at hand to verify the reply's
    key.ifPresent(k -> k.apply(m, null));
    TSIGRecord signature = m.getTSIG();
    byte[] wire = m.toWire(65535);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout((int) timeout.toMillis());
      socket.send(new DatagramPacket(wire, wire.length, target));
      byte[] buffer = new byte[4096];
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        socket.receive(in);
        Message reply;
        try {
          reply = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
        } catch (WireParseException e) {
          reply = null;
        }
        if (reply != null && in.getSocketAddress().equals(target) && reply.getHeader().getID() == m.getHeader().getID()
            && reply.getHeader().getFlag(Flags.QR)) {
          // RFC 8945 5.3: a signed request's reply is signed with the same key; one that is not
          // (unsigned, forged, another key) is no answer, and the NOTIFY is tried again
          if (key.isPresent()
              && key.get().verify(reply, java.util.Arrays.copyOf(in.getData(), in.getLength()), signature)
                  != Rcode.NOERROR) {
            return "a reply not signed with the zone's transfer key";
          }
          return reply.getRcode() == Rcode.NOERROR ? null : "answered " + Rcode.string(reply.getRcode());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return "no reply";
        }
        socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    } catch (SocketTimeoutException e) {
      return "no reply";
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
