package dev.namu.server.secondary;

import dev.namu.server.intake.ReplyHeader;
import dev.namu.server.intake.Request;
import dev.namu.server.pipeline.NotifyHandler;
import dev.namu.server.pipeline.Outcome;
import dev.namu.server.pipeline.UnloadedZones;
import dev.namu.server.update.RequestSignature;
import dev.namu.server.update.TsigKeyring;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.ZoneStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * The zones namud serves as a secondary. Made when namud starts, so that their names get SERVFAIL
 * (as a configured zone not loaded does in BIND and Knot) until a copy is served, and NOTIFY is
 * answered; {@link #start started} once the zone store is open, where their copies are kept and
 * the TSIG keys are. Transfers run on two threads of their own, never on an event loop.
 */
public final class Secondaries implements UnloadedZones, NotifyHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Secondaries.class);
  /** Threads for SOA queries and transfers: blocking network work, one zone at a time each. */
  static final int THREADS = 2;

  private final SecondaryConfig config;
  private final ZoneRegistry registry;
  private final Clock clock;
  private volatile Map<Name, SecondaryZone> zones = Map.of();
  /** Origins whose names get SERVFAIL: no copy served (none yet, or expired). */
  private volatile Set<Name> unserved;
  private ScheduledThreadPoolExecutor threads;

  public Secondaries(SecondaryConfig config, ZoneRegistry registry, Clock clock) {
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.unserved = Set.copyOf(config.zones().keySet());
  }

  /** No secondary zones. */
  public static Secondaries none() {
    return new Secondaries(SecondaryConfig.none(), new ZoneRegistry(), Clock.systemUTC());
  }

  /** The origins of the secondary zones: the zone store's other writer, not edited through the API or UPDATE. */
  public Set<Name> origins() {
    return config.zones().keySet();
  }

  /** Serves the copies kept in {@code store} and starts the refresh timers. Call once. */
  public synchronized void start(ZoneStore store, TsigKeyring keys) {
    if (config.zones().isEmpty()) {
      return;
    }
    AtomicInteger n = new AtomicInteger();
    threads = new ScheduledThreadPoolExecutor(THREADS, r -> {
      Thread t = new Thread(r, "namud-secondary-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    threads.setRemoveOnCancelPolicy(true);
    PrimaryClient client = new PrimaryClient();
    Map<Name, SecondaryZone> made = new TreeMap<>();
    for (SecondaryZoneConfig z : config.zones().values()) {
      made.put(z.origin(), new SecondaryZone(z, client, store, registry, keys::key, threads, this::servedChanged,
          clock));
    }
    zones = Map.copyOf(made);
    for (SecondaryZone z : made.values()) {
      z.start();
    }
    log.info("{} secondary zone(s): {}", made.size(), made.keySet());
  }

  private void servedChanged() {
    Set<Name> next = new HashSet<>(config.zones().keySet());
    for (SecondaryZone z : zones.values()) {
      if (z.served()) {
        next.remove(z.origin());
      }
    }
    unserved = Set.copyOf(next);
  }

  @Override
  public boolean covers(Name qname) {
    Set<Name> names = unserved;
    if (names.isEmpty()) {
      return false;
    }
    for (Name origin : names) {
      if (qname.subdomain(origin)) {
        return true;
      }
    }
    return false;
  }

  /**
   * RFC 1996 3.7, 4.7: a NOTIFY for a secondary zone from one of its primaries (signed with its key
   * when it has one) is answered NOERROR with AA and the question, and makes the zone ask its
   * primary's SOA now. As Knot and BIND: a zone we are no secondary for gets NOTAUTH, an address
   * that is no primary of the zone REFUSED, and neither starts a check.
   */
  @Override
  public Outcome notify(Request request) {
    Name origin = request.question().getName().canonicalize();
    Optional<SecondaryZoneConfig> zone = config.zone(origin);
    String from = request.peer().getAddress().getHostAddress();
    if (zone.isEmpty()) {
      log.info("NOTIFY for {} from {} refused: no secondary zone of that name", origin, from);
      return new Outcome.RcodeOnly(Rcode.NOTAUTH);
    }
    if (!zone.get().fromPrimary(request.peer().getAddress())) {
      log.info("NOTIFY for {} from {} refused: not one of its primaries", origin, from);
      return new Outcome.RcodeOnly(Rcode.REFUSED);
    }
    if (zone.get().key().isPresent() && !(request.signature() instanceof RequestSignature.Verified verified
        && verified.request().getName().equals(zone.get().key().get()))) {
      log.info("NOTIFY for {} from {} refused: not signed with the key {}", origin, from, zone.get().key().get());
      return new Outcome.RcodeOnly(Rcode.REFUSED);
    }
    SecondaryZone running = zones.get(origin);
    if (running != null) {
      running.checkSoon();
    }
    Message reply = ReplyHeader.of(request.wire(), Rcode.NOERROR);
    reply.getHeader().setFlag(Flags.AA);
    reply.addRecord(request.question(), Section.QUESTION);
    return new Outcome.Answered(reply, false);
  }

  /** The state of the secondary zone at {@code origin}, one of {@link #origins}. */
  public SecondaryStatus status(Name origin) {
    SecondaryZone z = zones.get(origin);
    return z == null ? SecondaryStatus.initial(origin) : z.status();
  }

  /** Each secondary zone's state, by origin in canonical order. */
  public List<SecondaryStatus> statuses() {
    List<SecondaryStatus> out = new ArrayList<>();
    for (Name origin : new java.util.TreeSet<>(config.zones().keySet())) {
      SecondaryZone z = zones.get(origin);
      out.add(z == null ? SecondaryStatus.initial(origin) : z.status());
    }
    return out;
  }

  @Override
  public synchronized void close() {
    for (SecondaryZone z : zones.values()) {
      z.stop();
    }
    if (threads != null) {
      threads.shutdownNow();
      try {
        threads.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
