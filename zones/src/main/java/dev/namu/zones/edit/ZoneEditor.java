package dev.namu.zones.edit;

import dev.namu.zones.model.SnapshotPatch;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.registry.ZoneSet;
import dev.namu.zones.store.StoreConflictException;
import dev.namu.zones.store.StoreException;
import dev.namu.zones.store.StoredZone;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneWrite;
import dev.namu.zones.sign.KeySchedule;
import dev.namu.zones.sign.ZoneSigner;
import dev.namu.zones.sign.ZoneSigning;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The one writer of every stored zone (ARCHITECTURE.md, "one writer"). Edits of one zone are serialized
 * by that zone's lock; edits of different zones run in parallel; queries never take a lock, they read
 * the {@link ZoneRegistry}'s current set.
 *
 * <p>Each edit: check prerequisites against the zone as it is now, apply the operations to a private
 * copy, advance the SOA serial (RFC 1982), validate the whole zone with {@link ZoneSnapshot#build}
 * (or, for an edit of a few plain names, {@link SnapshotPatch}, which gives the same snapshot),
 * commit records and journal in one store transaction, and only then publish the new snapshot by one
 * atomic registry update (STYLE habit 3). Any failure before the commit changes nothing; an edit
 * acknowledged as {@link EditOutcome.Applied} is committed.
 */
public final class ZoneEditor {

  private static final Logger log = LoggerFactory.getLogger(ZoneEditor.class);

  /**
   * Attempts of one edit that keeps losing to other writers of its zone. Each lost attempt means
   * another edit was committed, so the zone makes progress; ten covers two or three busy namud on
   * one zone, and an edit that still loses is refused (nothing changed) rather than retried forever.
   */
  static final int ATTEMPTS = 10;

  private final ZoneStore store;
  private final ZoneRegistry registry;
  private final ConcurrentHashMap<Name, ReentrantLock> locks = new ConcurrentHashMap<>();
  /** The stored zones being served; each entry replaced only by the holder of its lock. */
  private final ConcurrentHashMap<Name, ZoneSnapshot> zones = new ConcurrentHashMap<>();
  /** Zones another writer keeps in the store (a secondary's transfers in): never loaded or edited here. */
  private final Predicate<Name> transferred;
  /** The signing of each stored zone namud signs; each entry replaced only by the holder of its lock. */
  private final ConcurrentHashMap<Name, ZoneSigning> signing = new ConcurrentHashMap<>();
  private final Clock clock;
  private final SignedSnapshots signer;

  private ZoneEditor(ZoneStore store, ZoneRegistry registry, Predicate<Name> transferred, Clock clock) {
    this.store = store;
    this.registry = registry;
    this.transferred = transferred;
    this.clock = clock;
    this.signer = new SignedSnapshots(clock);
  }

  /**
   * Loads every stored zone and publishes it. A stored zone that no longer validates (a newer rule)
   * is logged and left unserved, the others load.
   */
  public static ZoneEditor open(ZoneStore store, ZoneRegistry registry) {
    return open(store, registry, Set.of());
  }

  /**
   * As {@link #open(ZoneStore, ZoneRegistry)}, leaving out the zones at {@code transferred}: their one
   * writer is a zone transfer from their primary (namud as a secondary, RFC 1996), which loads and
   * publishes them itself; an edit, import, create or delete of one is rejected.
   */
  public static ZoneEditor open(ZoneStore store, ZoneRegistry registry, Set<Name> transferred) {
    return open(store, registry, transferred, Clock.systemUTC());
  }

  /** As {@link #open(ZoneStore, ZoneRegistry, Set)}, signing zones at the time {@code clock} tells. */
  public static ZoneEditor open(ZoneStore store, ZoneRegistry registry, Set<Name> transferred, Clock clock) {
    Set<Name> names = Set.copyOf(transferred);
    return open(store, registry, name -> names.contains(name.canonicalize()), clock);
  }

  /**
   * As {@link #open(ZoneStore, ZoneRegistry, Set)}, with the zones whose one writer is a transfer
   * given as a test that may change its answer while namud runs (the members of a catalog zone).
   */
  public static ZoneEditor open(ZoneStore store, ZoneRegistry registry, Predicate<Name> transferred) {
    return open(store, registry, transferred, Clock.systemUTC());
  }

  /** As {@link #open(ZoneStore, ZoneRegistry, Predicate)}, signing zones at the time {@code clock} tells. */
  public static ZoneEditor open(ZoneStore store, ZoneRegistry registry, Predicate<Name> transferred, Clock clock) {
    ZoneEditor editor = new ZoneEditor(store, registry, transferred, clock);
    store.signing().forEach((origin, s) -> {
      if (!editor.transferred.test(origin.canonicalize())) {
        editor.signing.put(origin, s);
      }
    });
    List<ZoneSnapshot> loaded = new ArrayList<>();
    for (StoredZone stored : store.loadAll()) {
      if (editor.transferred.test(stored.origin().canonicalize())) {
        continue;
      }
      try {
        ZoneSnapshot snapshot = ZoneSnapshot.build(stored.origin(), stored.records());
        editor.zones.put(stored.origin(), snapshot);
        loaded.add(snapshot);
      } catch (ZoneValidationException e) {
        log.error("stored zone {} is not valid and is not served: {}", stored.origin(), e.getMessage());
      }
    }
    registry.update(set -> {
      ZoneSet next = set;
      for (ZoneSnapshot z : loaded) {
        next = next.with(z);
      }
      return next;
    });
    log.info("{} stored zones loaded", loaded.size());
    return editor;
  }

  /** The stored zone with this origin as now served. */
  public Optional<ZoneSnapshot> zone(Name origin) {
    return Optional.ofNullable(zones.get(origin));
  }

  /** All stored zones as now served, in canonical order. */
  public List<ZoneSnapshot> zones() {
    TreeMap<Name, ZoneSnapshot> sorted = new TreeMap<>(zones);
    return List.copyOf(sorted.values());
  }

  /** The closest stored zone that encloses {@code name}, if any. */
  public Optional<ZoneSnapshot> enclosingZone(Name name) {
    ZoneSnapshot best = null;
    for (ZoneSnapshot z : zones.values()) {
      if (name.subdomain(z.origin()) && (best == null || z.origin().labels() > best.origin().labels())) {
        best = z;
      }
    }
    return Optional.ofNullable(best);
  }

  public EditOutcome edit(ZoneChange change, String actor) {
    return edit(List.of(change), actor);
  }

  /**
   * Applies changes to one or more zones as one edit: one store transaction, one registry swap. The
   * zones' locks are taken in canonical order, so two multi-zone edits cannot deadlock.
   */
  public EditOutcome edit(List<ZoneChange> changes, String actor) {
    Map<Name, List<ZoneChange>> byZone = new LinkedHashMap<>();
    for (ZoneChange c : changes) {
      byZone.computeIfAbsent(c.origin(), k -> new ArrayList<>()).add(c);
    }
    return lockedEdit(byZone.keySet(), () -> {
      List<ZoneDiff> diffs = new ArrayList<>();
      List<ZoneWrite> writes = new ArrayList<>();
      for (Map.Entry<Name, List<ZoneChange>> e : byZone.entrySet()) {
        Name origin = e.getKey();
        ZoneSnapshot before = zones.get(origin);
        if (before == null) {
          return new EditOutcome.Rejected(RejectReason.NO_SUCH_ZONE, noSuchZone(origin));
        }
        Optional<String> signerOwned = signerOwned(origin, e.getValue());
        if (signerOwned.isPresent()) {
          return new EditOutcome.Rejected(RejectReason.SIGNED_BY_SERVER, signerOwned.get());
        }
        WorkingZone work = new WorkingZone(before, e.getValue().get(0).mode());
        try {
          for (ZoneChange c : e.getValue()) {
            WorkingZone w = c.mode() == e.getValue().get(0).mode() ? work : null;
            if (w == null) {
              return new EditOutcome.Rejected(RejectReason.INVALID, "changes of one zone must share a mode");
            }
            // RFC 2136 3.2: all prerequisites are checked before any update is applied.
            for (Prerequisite p : c.prerequisites()) {
              work.check(p);
            }
          }
          for (ZoneChange c : e.getValue()) {
            for (RecordOperation op : c.operations()) {
              work.apply(op);
            }
          }
        } catch (WorkingZone.Rejection r) {
          return new EditOutcome.Rejected(r.reason, r.getMessage());
        }
        Optional<ZoneDiff> diff;
        try {
          diff = diff(origin, before, work);
        } catch (WorkingZone.Rejection r) {
          return new EditOutcome.Rejected(r.reason, r.getMessage());
        } catch (ZoneValidationException v) {
          return invalid(v);
        }
        if (diff.isPresent()) {
          diffs.add(diff.get());
          writes.add(new ZoneWrite.Patch(origin, before.serial(), diff.get().after().orElseThrow().serial(),
              diff.get().removed(), diff.get().added()));
        }
      }
      return commitAndPublish(diffs, writes, actor);
    });
  }

  /** Creates a stored zone; rejected when a stored zone of that name exists. */
  public EditOutcome create(Name origin, Collection<Record> records, String actor) {
    return lockedEdit(List.of(origin), () -> {
      if (zones.containsKey(origin) || isTransferred(origin)) {
        return new EditOutcome.Rejected(RejectReason.ZONE_EXISTS,
            isTransferred(origin) ? noSuchZone(origin) : "zone " + origin + " exists already");
      }
      return put(origin, null, records, actor);
    });
  }

  /**
   * Creates a stored zone or replaces all records of one (zone import). When replacing, a serial that
   * is not newer than the served one is advanced past it, so secondaries see the change.
   */
  public EditOutcome replace(Name origin, Collection<Record> records, String actor) {
    if (isTransferred(origin)) {
      return new EditOutcome.Rejected(RejectReason.ZONE_EXISTS, noSuchZone(origin));
    }
    return lockedEdit(List.of(origin), () -> put(origin, zones.get(origin), records, actor));
  }

  private boolean isTransferred(Name origin) {
    return transferred.test(origin.canonicalize());
  }

  /** Why an edit of {@code origin} finds no stored zone to edit. */
  private String noSuchZone(Name origin) {
    return isTransferred(origin)
        ? "zone " + origin + " is a secondary zone, transferred from its primaries; edit it there"
        : "no stored zone " + origin;
  }

  private EditOutcome put(Name origin, ZoneSnapshot before, Collection<Record> records, String actor) {
    ZoneSnapshot after;
    try {
      after = ZoneSnapshot.build(origin, records);
      if (before != null && !SerialNumber.isNewer(after.serial(), before.serial())) {
        WorkingZone work = new WorkingZone(after, ChangeMode.STRICT);
        work.setSerial(SerialNumber.next(before.serial()));
        after = ZoneSnapshot.build(origin, work.records());
      }
      ZoneSigning signed = before == null ? null : signing.get(origin);
      if (signed != null) {
        // an import into a signed zone: namud's own signatures replace whatever DNSSEC records it had
        after = signer.sign(origin, ZoneSigner.unsigned(after.records()), signed, null);
      }
    } catch (ZoneValidationException v) {
      return invalid(v);
    } catch (WorkingZone.Rejection r) {
      return new EditOutcome.Rejected(r.reason, r.getMessage());
    }
    ZoneDiff diff = new ZoneDiff(origin, Optional.ofNullable(before), Optional.of(after),
        before == null ? List.of() : before.records(), after.records());
    ZoneWrite write = new ZoneWrite.Put(origin,
        before == null ? OptionalLong.empty() : OptionalLong.of(before.serial()), after.serial(), after.records());
    return commitAndPublish(List.of(diff), List.of(write), actor);
  }

  /** Deletes a stored zone: from the store (its journal stays) and from what is served. */
  public EditOutcome delete(Name origin, String actor) {
    return lockedEdit(List.of(origin), () -> {
      ZoneSnapshot before = zones.get(origin);
      if (before == null) {
        return new EditOutcome.Rejected(RejectReason.NO_SUCH_ZONE, noSuchZone(origin));
      }
      ZoneDiff diff = new ZoneDiff(origin, Optional.of(before), Optional.empty(), before.records(), List.of());
      return commitAndPublish(List.of(diff), List.of(new ZoneWrite.Drop(origin, before.serial())), actor);
    });
  }

  /** How a stored zone is signed, when namud signs it. */
  public Optional<ZoneSigning> signing(Name origin) {
    return Optional.ofNullable(signing.get(origin));
  }

  /** Why these changes may not be made: they add or delete records the signer of the zone owns. */
  private Optional<String> signerOwned(Name origin, List<ZoneChange> changes) {
    if (!signing.containsKey(origin)) {
      return Optional.empty();
    }
    for (ZoneChange c : changes) {
      for (RecordOperation op : c.operations()) {
        int type = Type.A; // a DeleteName: the signer makes the name's DNSSEC records again
        if (op instanceof RecordOperation.Add a) {
          type = a.record().getType();
        } else if (op instanceof RecordOperation.Delete d) {
          type = d.record().getType();
        } else if (op instanceof RecordOperation.DeleteRRset d) {
          type = d.type();
        } else if (op instanceof RecordOperation.ReplaceRRset r) {
          type = r.type();
        }
        if (ZoneSigner.isSignerType(type)) {
          return Optional.of("zone " + origin + " is signed by namud: its " + Type.string(type)
              + " records are made by the signer and cannot be edited (namuctl zone unsign " + origin
              + " to edit them by hand)");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Signs a stored zone with {@code with}'s keys from now on: the keys are stored, and the zone is
   * signed in full under a new serial.
   */
  public EditOutcome sign(ZoneSigning with, String actor) {
    Name origin = with.origin();
    return lockedEdit(List.of(origin), () -> {
      ZoneSnapshot before = zones.get(origin);
      if (before == null) {
        return new EditOutcome.Rejected(RejectReason.NO_SUCH_ZONE, noSuchZone(origin));
      }
      return resign(origin, before, with, null, actor);
    });
  }

  /** Stops signing a stored zone: its keys are forgotten and its DNSSEC records removed, under a new serial. */
  public EditOutcome unsign(Name origin, String actor) {
    return lockedEdit(List.of(origin), () -> {
      ZoneSnapshot before = zones.get(origin);
      if (before == null) {
        return new EditOutcome.Rejected(RejectReason.NO_SUCH_ZONE, noSuchZone(origin));
      }
      if (!signing.containsKey(origin)) {
        return new EditOutcome.Rejected(RejectReason.INVALID, "zone " + origin + " is not signed by namud");
      }
      try {
        List<Record> plain = ZoneSigner.unsigned(before.records());
        ZoneSnapshot after = ZoneSnapshot.build(origin,
            SignedSnapshots.withSerial(plain, SerialNumber.next(before.serial())));
        return commitPatch(SignedSnapshots.diff(origin, before, after),
            List.of(new ZoneWrite.SigningExpected(origin, Optional.ofNullable(signing.get(origin))),
                new ZoneWrite.Signing(origin, Optional.empty())), actor);
      } catch (ZoneValidationException v) {
        return invalid(v);
      }
    });
  }

  /**
   * The upkeep of a signed zone, due from time to time: the key rollover steps due now (KeySchedule),
   * then signatures with less than a quarter of their validity left made anew. When anything changed
   * the zone is published under a new serial like any edit; else nothing happens.
   */
  public EditOutcome maintainSigning(Name origin, String actor) {
    return lockedEdit(List.of(origin), () -> {
      ZoneSnapshot before = zones.get(origin);
      ZoneSigning now = signing.get(origin);
      if (before == null || now == null) {
        return new EditOutcome.Applied(List.of());
      }
      Optional<ZoneSigning> stepped = KeySchedule.step(now, clock.instant(), dnskeyTtl(before), maxTtl(before));
      return stepped.isPresent()
          ? resign(origin, before, stepped.get(), ZoneSigner.Changes.NONE, actor)
          : resign(origin, before, now, ZoneSigner.Changes.NONE, actor, false);
    });
  }

  /** When {@link #maintainSigning} next has work for a signed zone: a rollover step or a signature to refresh. */
  public Optional<Instant> signingDue(Name origin) {
    ZoneSnapshot z = zones.get(origin);
    ZoneSigning s = signing.get(origin);
    if (z == null || s == null) {
      return Optional.empty();
    }
    Instant due = null;
    for (Record r : z.records()) {
      if (r instanceof RRSIGRecord sig) {
        Instant at = sig.getExpire().minus(ZoneSigner.REFRESH);
        if (due == null || at.isBefore(due)) {
          due = at;
        }
      }
    }
    Optional<Instant> step = KeySchedule.nextStep(s, dnskeyTtl(z), maxTtl(z));
    if (step.isPresent() && (due == null || step.get().isBefore(due))) {
      due = step.get();
    }
    return Optional.ofNullable(due);
  }

  /** The zones namud signs. */
  public Set<Name> signedZones() {
    return Set.copyOf(signing.keySet());
  }

  /**
   * Changes a signed zone's keys by hand (a KSK rollover's start or its DS published) and signs what
   * the new keys change.
   */
  public EditOutcome changeKeys(Name origin, UnaryOperator<Optional<ZoneSigning>> change, String actor) {
    return lockedEdit(List.of(origin), () -> {
      ZoneSnapshot before = zones.get(origin);
      ZoneSigning now = signing.get(origin);
      if (before == null || now == null) {
        return new EditOutcome.Rejected(RejectReason.NO_SUCH_ZONE,
            before == null ? noSuchZone(origin) : "zone " + origin + " is not signed by namud");
      }
      Optional<ZoneSigning> next = change.apply(Optional.of(now));
      if (next.isEmpty()) {
        return new EditOutcome.Applied(List.of());
      }
      return resign(origin, before, next.get(), ZoneSigner.Changes.NONE, actor);
    });
  }

  /** {@link #resign(Name, ZoneSnapshot, ZoneSigning, ZoneSigner.Changes, String, boolean)} with new keys to store. */
  private EditOutcome resign(Name origin, ZoneSnapshot before, ZoneSigning with, ZoneSigner.Changes changed,
      String actor) {
    return resign(origin, before, with, changed, actor, true);
  }

  /**
   * Signs the zone with {@code with}'s keys, keeping the signatures that hold over the RRsets not
   * {@code changed} (null: none kept); when that changes anything, the SOA gets a new serial. The
   * records, and the keys when {@code newKeys}, are committed in one transaction, then published;
   * the keys are this namud's only once the store holds them, so a commit lost to another writer
   * leaves the keys as they were, here and in the store.
   */
  private EditOutcome resign(Name origin, ZoneSnapshot before, ZoneSigning with, ZoneSigner.Changes changed,
      String actor, boolean newKeys) {
    // the keys are written over those this namud holds, or not at all (ZoneWrite.SigningExpected)
    List<ZoneWrite> keys = newKeys ? List.of(new ZoneWrite.SigningExpected(origin,
        Optional.ofNullable(signing.get(origin))), new ZoneWrite.Signing(origin, Optional.of(with))) : List.of();
    try {
      // One signing, under the next serial: the SOA and its signature change whatever else does; when
      // nothing else did, the zone was signed as it should be and nothing is committed. (The SOA's
      // signature is the zone's newest, made at every serial, so it is never the only one due.)
      List<Record> next = SignedSnapshots.withSerial(before.records(), SerialNumber.next(before.serial()));
      ZoneSnapshot after = signer.sign(origin, next, with,
          changed == null ? null : (name, type, rrset) -> type == Type.SOA || changed.changed(name, type, rrset));
      ZoneDiff diff = SignedSnapshots.diff(origin, before, after);
      if (SignedSnapshots.onlySoaMoved(diff)) {
        return commitAndPublish(List.of(), keys, actor);
      }
      return commitPatch(diff, keys, actor);
    } catch (ZoneValidationException v) {
      return invalid(v);
    }
  }

  /** Commits and publishes one zone's change, with {@code more} writes (its keys) in the same transaction. */
  private EditOutcome commitPatch(ZoneDiff diff, List<ZoneWrite> more, String actor) {
    ZoneSnapshot before = diff.before().orElseThrow();
    ZoneSnapshot after = diff.after().orElseThrow();
    List<ZoneWrite> writes = new ArrayList<>(1 + more.size());
    writes.add(new ZoneWrite.Patch(diff.origin(), before.serial(), after.serial(), diff.removed(), diff.added()));
    writes.addAll(more);
    return commitAndPublish(List.of(diff), writes, actor);
  }

  private static Duration dnskeyTtl(ZoneSnapshot z) {
    return Duration.ofSeconds(z.soa().getTTL());
  }

  private static Duration maxTtl(ZoneSnapshot z) {
    long max = 0;
    for (Record r : z.records()) {
      max = Math.max(max, r.getTTL());
    }
    return Duration.ofSeconds(max);
  }

  /**
   * Serves zones read from files (a reload) beside the stored zones, and stops serving the file zones
   * at {@code dropped}, in one registry update made under the same per-zone locks as every edit: an
   * edit and a reload of one name are serialized, so neither overwrites the other. A stored zone wins
   * over a file of the same name (it was imported, and its edits live in the store): such a file is
   * not served, and a stored zone is never dropped.
   */
  public FilesServed serveFiles(Collection<ZoneSnapshot> files, Collection<Name> dropped) {
    List<Name> origins = new ArrayList<>(dropped);
    files.forEach(z -> origins.add(z.origin()));
    return locked(origins, () -> {
      List<ZoneSnapshot> served = new ArrayList<>();
      List<Name> inStore = new ArrayList<>();
      for (ZoneSnapshot z : files) {
        if (zones.containsKey(z.origin())) {
          inStore.add(z.origin());
        } else {
          served.add(z);
        }
      }
      List<Name> gone = dropped.stream().filter(n -> !zones.containsKey(n)).toList();
      ZoneSet published = registry.update(set -> {
        ZoneSet next = set;
        for (Name n : gone) {
          next = next.without(n);
        }
        for (ZoneSnapshot z : served) {
          next = next.with(z);
        }
        return next;
      });
      return new FilesServed(List.copyOf(served), List.copyOf(inStore), published);
    });
  }

  /**
   * What {@link #serveFiles} did: the file zones now served, the origins of files not served because
   * the store holds a zone of that name, and the zone set published.
   */
  public record FilesServed(List<ZoneSnapshot> served, List<Name> inStore, ZoneSet published) {}

  private static EditOutcome invalid(ZoneValidationException v) {
    List<ZoneProblem> problems = v.problems();
    return new EditOutcome.Rejected(RejectReason.INVALID, v.getMessage(), problems);
  }

  /**
   * Builds the zone after the change with its serial advanced, and the records removed and added;
   * empty when the change changed nothing (no serial advance, no journal entry, as BIND does).
   */
  private Optional<ZoneDiff> diff(Name origin, ZoneSnapshot before, WorkingZone work)
      throws WorkingZone.Rejection, ZoneValidationException {
    if (!work.changed()) {
      return Optional.empty();
    }
    work.setSerial(SerialNumber.advance(before.serial(), work.requestedSerial()));
    ZoneSigning signed = signing.get(origin);
    if (signed != null) {
      // Only the RRsets the edit changed (the SOA among them) are signed anew, with the NSEC or NSEC3
      // records whose next name or bitmap changed.
      Map<Name, List<Record>> touched = work.touchedNames();
      ZoneSigner.Changes changes = SignedSnapshots.changes(before, touched.keySet());
      Optional<ZoneDiff> patched = signer.patch(before, touched, signed, changes);
      if (patched.isPresent()) {
        return patched;
      }
      ZoneSnapshot after = signer.sign(origin, work.records(), signed, changes);
      return Optional.of(SignedSnapshots.diff(origin, before, after));
    }
    // Most edits change a few plain names: the new snapshot is then the old one with those names
    // replaced. Anything a full build must judge (cuts, aliases, problems, warnings) gets one.
    Optional<ZoneSnapshot> patched = SnapshotPatch.apply(before, work.touchedNames());
    ZoneSnapshot after = patched.isPresent() ? patched.get() : ZoneSnapshot.build(origin, work.records());
    return Optional.of(new ZoneDiff(origin, Optional.of(before), Optional.of(after), work.removed(), work.added()));
  }

  private EditOutcome commitAndPublish(List<ZoneDiff> diffs, List<ZoneWrite> writes, String actor) {
    if (writes.isEmpty()) {
      return new EditOutcome.Applied(List.of());
    }
    try {
      store.commit(writes, actor);
    } catch (StoreConflictException e) {
      throw new LostRace(e);
    } catch (StoreException e) {
      log.error("zone store write failed, nothing changed: {}", e.getMessage());
      return new EditOutcome.Rejected(RejectReason.STORE_FAILED, "zone store write failed: " + e.getMessage());
    }
    // Committed: publish. Every zone of the edit swaps in one registry update, so a query sees all of
    // the edit (forward and reverse zone alike) or none of it.
    for (ZoneDiff d : diffs) {
      if (d.after().isPresent()) {
        zones.put(d.origin(), d.after().get());
      } else {
        zones.remove(d.origin());
        signing.remove(d.origin()); // the store's signing rows went with the zone
      }
    }
    for (ZoneWrite w : writes) {
      if (w instanceof ZoneWrite.Signing s) {
        if (s.signing().isPresent()) {
          signing.put(s.origin(), s.signing().get());
        } else {
          signing.remove(s.origin());
        }
      }
    }
    UnaryOperator<ZoneSet> swap = set -> {
      ZoneSet next = set;
      for (ZoneDiff d : diffs) {
        next = d.after().isPresent() ? next.with(d.after().get()) : next.without(d.origin());
      }
      return next;
    };
    registry.update(swap);
    return new EditOutcome.Applied(diffs);
  }

  /**
   * Serves the zone as the store holds it now: what another namud sharing the store wrote, a zone
   * it created or deleted. Under the zone's lock, so it never overwrites an edit made here. True
   * when what is served changed.
   */
  public boolean refresh(Name origin) {
    return locked(List.of(origin), () -> reload(origin));
  }

  /** {@link #refresh} with the zone's lock held. */
  private boolean reload(Name origin) {
    Optional<StoredZone> stored = store.load(origin);
    // Whether and with which keys the zone is signed is the store's too: signed or unsigned through
    // another namud, this one's edits of it must be signed (or not) the same way.
    Optional<ZoneSigning> signed = stored.isEmpty() || transferred.test(origin.canonicalize())
        ? Optional.empty() : Optional.ofNullable(store.signing().get(origin));
    if (signed.isPresent()) {
      signing.put(origin, signed.get());
    } else {
      signing.remove(origin);
    }
    ZoneSnapshot served = zones.get(origin);
    if (stored.isEmpty()) {
      if (served == null) {
        return false;
      }
      zones.remove(origin);
      registry.update(set -> set.without(origin));
      log.debug("stored zone {} deleted by another writer: no longer served", origin);
      return true;
    }
    StoredZone now = stored.get();
    if (served != null && served.serial() == now.serial()
        && new HashSet<>(served.records()).equals(new HashSet<>(now.records()))) {
      return false;
    }
    ZoneSnapshot snapshot;
    try {
      snapshot = ZoneSnapshot.build(origin, now.records());
    } catch (ZoneValidationException e) {
      log.error("stored zone {} at serial {} is not valid and is not served: {}", origin, now.serial(),
          e.getMessage());
      return false;
    }
    zones.put(origin, snapshot);
    registry.update(set -> set.with(snapshot));
    log.debug("stored zone {} read again from the store at serial {}", origin, now.serial());
    return true;
  }

  /**
   * Runs an edit under its zones' locks. When the store refuses the commit because another writer
   * changed a zone first (a namud sharing the store; the database orders the writes, see
   * {@code ZoneStore#commit}), the zones are read again and the edit made anew on what is stored
   * now: its prerequisites checked again (RFC 2136 3.2), its serial advanced past the new one. A
   * bounded number of times, so a zone edited without pause elsewhere ends in a clear refusal,
   * never a lost or a silently dropped edit.
   */
  private EditOutcome lockedEdit(Collection<Name> origins, LockedWork<EditOutcome> work) {
    return locked(origins, () -> {
      StoreConflictException last = null;
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          return work.run();
        } catch (LostRace race) {
          last = race.conflict;
          log.debug("edit of {} lost to another writer (attempt {}): {}", origins, attempt, last.getMessage());
          try {
            for (Name origin : origins) {
              reload(origin);
            }
          } catch (StoreException e) {
            log.error("zone store read failed, nothing changed: {}", e.getMessage());
            return new EditOutcome.Rejected(RejectReason.STORE_FAILED, "zone store read failed: " + e.getMessage());
          }
        }
      }
      log.warn("edit of {} given up: another writer changed the zone first {} times; nothing changed",
          origins, ATTEMPTS);
      return new EditOutcome.Rejected(RejectReason.STORE_FAILED, "another server changed the zone first "
          + ATTEMPTS + " times in a row (" + last.getMessage() + "); nothing changed, try again");
    });
  }

  /** A commit the store refused as a conflict; {@link #lockedEdit} reads the zones again and retries. */
  private static final class LostRace extends RuntimeException {
    final StoreConflictException conflict;

    LostRace(StoreConflictException conflict) {
      super(conflict.getMessage(), conflict, false, false);
      this.conflict = conflict;
    }
  }

  private interface LockedWork<T> {
    T run();
  }

  private <T> T locked(Collection<Name> origins, LockedWork<T> work) {
    List<ReentrantLock> held = new ArrayList<>();
    try {
      for (Name origin : new TreeSet<>(origins)) {
        ReentrantLock lock = locks.computeIfAbsent(origin, k -> new ReentrantLock());
        lock.lock();
        held.add(lock);
      }
      return work.run();
    } finally {
      for (int i = held.size() - 1; i >= 0; i--) {
        held.get(i).unlock();
      }
    }
  }
}
