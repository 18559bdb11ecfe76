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
import dev.namu.server.catalog.CatalogZone;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import dev.namu.zones.store.StoredZone;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
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
 * the TSIG keys are. Transfers run on two threads of their own, never on an event loop. The zones
 * of a catalog zone (RFC 9432) come and go with it, while namud runs.
 */
public final class Secondaries implements UnloadedZones, NotifyHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Secondaries.class);
  /** Threads for SOA queries and transfers: blocking network work, one zone at a time each. */
  static final int THREADS = 2;

  private final SecondaryConfig config;
  private final ZoneRegistry registry;
  private final Clock clock;
  private volatile Map<Name, SecondaryZone> zones = Map.of();
  /**
   * The members of the catalog zones (RFC 9432), each with the catalog that lists it and its unique
   * id there: written under this, read without a lock.
   */
  private volatile Map<Name, Member> members = Map.of();
  /** Origins whose names get SERVFAIL: no copy served (none yet, or expired). */
  private volatile Set<Name> unserved;
  private ScheduledThreadPoolExecutor threads;
  private ZoneStore store;
  private TsigKeyring keys;
  private PrimaryClient client;

  /** A zone listed in a catalog: the catalog, and the zone's unique id in it (RFC 9432 4.1). */
  private record Member(Name catalog, String id) {}

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

  /** The origins of the configured secondary zones (catalog members not included). */
  public Set<Name> origins() {
    return config.zones().keySet();
  }

  /**
   * Which zones are the secondaries' to write, not the API's or UPDATE's: the configured ones and
   * the members of the catalogs, those the catalogs kept in {@code store} list now (their copies
   * are in the store too) and those added later. Read before the stored zones are loaded.
   */
  public synchronized Predicate<Name> transferred(ZoneStore store) {
    Map<Name, Member> listed = new HashMap<>();
    for (Name catalog : config.catalogs()) {
      Optional<StoredZone> kept = store.load(catalog);
      if (kept.isEmpty()) {
        continue;
      }
      try {
        CatalogZone.members(ZoneSnapshot.build(catalog, kept.get().records()))
            .forEach((member, id) -> listed.putIfAbsent(member, new Member(catalog, id)));
      } catch (ZoneValidationException | CatalogZone.BrokenCatalog e) {
        log.warn("catalog {}: the stored copy lists no members ({})", catalog, e.getMessage());
      }
    }
    listed.keySet().removeAll(config.zones().keySet());
    members = Map.copyOf(listed);
    servedChanged();
    return name -> config.zones().containsKey(name.canonicalize()) || members.containsKey(name.canonicalize());
  }

  /** Serves the copies kept in {@code store} and starts the refresh timers. Call once. */
  public synchronized void start(ZoneStore store, TsigKeyring keys) {
    if (config.zones().isEmpty()) {
      return;
    }
    this.store = store;
    this.keys = keys;
    this.client = new PrimaryClient();
    AtomicInteger n = new AtomicInteger();
    threads = new ScheduledThreadPoolExecutor(THREADS, r -> {
      Thread t = new Thread(r, "namud-secondary-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    threads.setRemoveOnCancelPolicy(true);
    Map<Name, SecondaryZone> made = new TreeMap<>();
    for (SecondaryZoneConfig z : config.zones().values()) {
      made.put(z.origin(), zone(z));
    }
    zones = Map.copyOf(made);
    for (SecondaryZone z : made.values()) {
      z.start();
    }
    log.info("{} secondary zone(s): {}{}", made.size(), made.keySet(),
        config.catalogs().isEmpty() ? "" : ", catalog zone(s) " + config.catalogs());
  }

  private SecondaryZone zone(SecondaryZoneConfig z) {
    Consumer<ZoneSnapshot> published = config.catalogs().contains(z.origin())
        ? copy -> catalogChanged(z.origin(), copy)
        : copy -> {};
    return new SecondaryZone(z, client, store, registry, keys::key, threads, this::servedChanged, published, clock);
  }

  /** A copy of a catalog zone is served: its members follow it, soon, on a secondary thread. */
  private void catalogChanged(Name catalog, ZoneSnapshot copy) {
    try {
      threads.execute(() -> {
        try {
          follow(catalog, copy);
        } catch (RuntimeException e) {
          log.error("catalog {}: its members could not be updated", catalog, e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // namud is stopping
    }
  }

  /**
   * Makes the members of {@code catalog} those its copy lists (RFC 9432 5): a member added is
   * served as a secondary of the catalog's primaries, a member no longer listed is dropped (no
   * longer served, its copy deleted), and a member whose unique id changed is reset: its copy
   * deleted and transferred anew (5.4). A catalog that must not be applied changes nothing.
   */
  private synchronized void follow(Name catalog, ZoneSnapshot copy) {
    if (zones.get(catalog) == null || !copy.equals(registry.current().zone(catalog))) {
      return; // namud is stopping, or a newer copy is served and follows
    }
    Map<Name, String> listed;
    try {
      listed = CatalogZone.members(copy);
    } catch (CatalogZone.BrokenCatalog e) {
      log.error("{}; its members stay as they were", e.getMessage());
      return;
    }
    SecondaryZoneConfig catalogConfig = config.zones().get(catalog);
    Map<Name, Member> nextMembers = new HashMap<>(members);
    Map<Name, SecondaryZone> nextZones = new HashMap<>(zones);
    List<SecondaryZone> toStart = new ArrayList<>();
    int dropped = 0;
    int reset = 0;
    for (Map.Entry<Name, Member> m : members.entrySet()) {
      if (m.getValue().catalog().equals(catalog) && !listed.containsKey(m.getKey())) {
        nextMembers.remove(m.getKey());
        SecondaryZone gone = nextZones.remove(m.getKey());
        (gone != null ? gone : zone(catalogConfig.member(m.getKey()))).discard();
        log.info("catalog {}: member {} dropped", catalog, m.getKey());
        dropped++;
      }
    }
    for (Map.Entry<Name, String> l : new TreeMap<>(listed).entrySet()) {
      Name member = l.getKey();
      Member known = members.get(member);
      if (config.zones().containsKey(member)) {
        log.warn("catalog {}: member {} skipped: it is a configured secondary zone", catalog, member);
        continue;
      }
      if (known != null && !known.catalog().equals(catalog)) {
        log.warn("catalog {}: member {} skipped: catalog {} lists it already", catalog, member, known.catalog());
        continue;
      }
      if (known == null && registry.current().zone(member) != null) {
        log.warn("catalog {}: member {} skipped: namud serves a zone of that name already (a zone file or the"
            + " store)", catalog, member);
        continue;
      }
      SecondaryZone running = nextZones.get(member);
      if (known != null && known.id().equals(l.getValue()) && running != null) {
        continue;
      }
      if (known != null && !known.id().equals(l.getValue())) {
        // RFC 9432 5.4: a new unique id resets the member, "the catalog consumer MUST remove all
        // associated state", its copy included, and transfers it anew
        (running != null ? running : zone(catalogConfig.member(member))).discard();
        log.info("catalog {}: member {} reset (unique id {} now {}): transferred anew", catalog, member,
            known.id(), l.getValue());
        reset++;
      } else if (known == null) {
        log.info("catalog {}: member {} added", catalog, member);
      }
      nextMembers.put(member, new Member(catalog, l.getValue()));
      SecondaryZone made = zone(catalogConfig.member(member));
      nextZones.put(member, made);
      toStart.add(made);
    }
    members = Map.copyOf(nextMembers);
    zones = Map.copyOf(nextZones);
    servedChanged();
    for (SecondaryZone z : toStart) {
      z.start();
    }
    log.info("catalog {} at serial {}: {} member(s), {} started, {} dropped, {} reset", catalog, copy.serial(),
        listed.size(), toStart.size(), dropped, reset);
  }

  private void servedChanged() {
    Set<Name> next = new HashSet<>(config.zones().keySet());
    next.addAll(members.keySet());
    for (SecondaryZone z : zones.values()) {
      if (z.served()) {
        next.remove(z.origin());
      }
    }
    unserved = Set.copyOf(next);
  }

  /** The configured secondary zone or catalog member at {@code origin}. */
  private Optional<SecondaryZoneConfig> zoneConfig(Name origin) {
    Optional<SecondaryZoneConfig> configured = config.zone(origin);
    if (configured.isPresent()) {
      return configured;
    }
    Member m = members.get(origin);
    return m == null ? Optional.empty() : config.zone(m.catalog()).map(c -> c.member(origin));
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
    Optional<SecondaryZoneConfig> zone = zoneConfig(origin);
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

  /** The state of the secondary zone at {@code origin}, one of {@link #origins} or a catalog member. */
  public SecondaryStatus status(Name origin) {
    SecondaryZone z = zones.get(origin);
    Member m = members.get(origin);
    return z != null ? z.status()
        : SecondaryStatus.initial(origin, m == null ? Optional.empty() : Optional.of(m.catalog()));
  }

  /** Each secondary zone's state, the catalogs' members included, by origin in canonical order. */
  public List<SecondaryStatus> statuses() {
    java.util.TreeSet<Name> origins = new java.util.TreeSet<>(config.zones().keySet());
    origins.addAll(members.keySet());
    List<SecondaryStatus> out = new ArrayList<>();
    for (Name origin : origins) {
      out.add(status(origin));
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
