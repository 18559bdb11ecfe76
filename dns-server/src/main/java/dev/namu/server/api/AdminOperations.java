package dev.namu.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.server.transfer.ZoneTransferPolicy;
import dev.namu.server.update.TsigKeyring;
import dev.namu.server.views.ServedViews;
import dev.namu.zones.edit.EditOutcome;
import dev.namu.zones.edit.RecordOperation;
import dev.namu.zones.edit.ReversePointers;
import dev.namu.zones.edit.ZoneChange;
import dev.namu.zones.edit.ZoneDiff;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.JournalEntry;
import dev.namu.zones.store.EditScope;
import dev.namu.zones.store.StoredKey;
import dev.namu.zones.store.StoredToken;
import dev.namu.zones.store.StoreConflictException;
import dev.namu.zones.store.TransferSettings;
import dev.namu.zones.store.ZoneStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import dev.namu.zones.sign.KeySchedule;
import dev.namu.zones.sign.SigningAlgorithm;
import dev.namu.zones.sign.ZoneSigning;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * What each API endpoint does, on JSON trees in and plain maps and lists out. HTTP is
 * {@link AdminApi}'s business; this class only knows zones, records and keys.
 */
final class AdminOperations {

  /** Defaults for a zone created without details: RFC 1912 2.2 style timers. */
  static final long DEFAULT_TTL = 3600;
  static final long SOA_REFRESH = 3600;
  static final long SOA_RETRY = 600;
  static final long SOA_EXPIRE = 1209600;
  static final long SOA_MINIMUM = 300;
  /**
   * Most records one batch may add, delete or replace: the whole batch is one transaction and one
   * journal entry, held in memory until it commits. A zone this big is imported as a zone file.
   */
  static final int MAX_BATCH_RECORDS = 100_000;

  private final ZoneEditor editor;
  private final ZoneStore store;
  private final ZoneRegistry registry;
  private final TsigKeyring keyring;
  private final ApiTokens tokens;
  private final ServerControl server;
  private final Optional<CacheControl> cache;
  private final Clock clock;
  private final ReversePointers pointers;
  private final SecureRandom random = new SecureRandom();

  AdminOperations(ZoneEditor editor, ZoneStore store, ZoneRegistry registry, TsigKeyring keyring,
      ApiTokens tokens, ServerControl server, Optional<CacheControl> cache, Clock clock) {
    this.tokens = tokens;
    this.editor = editor;
    this.store = store;
    this.registry = registry;
    this.keyring = keyring;
    this.server = server;
    this.cache = cache;
    this.clock = clock;
    this.pointers = new ReversePointers(editor::enclosingZone);
  }

  // ---- status and reload

  Map<String, Object> status() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("startedAt", server.startedAt().toString());
    out.put("uptimeSeconds", Duration.between(server.startedAt(), clock.instant()).toSeconds());
    out.put("queries", server.queriesAnswered().isPresent() ? server.queriesAnswered().getAsLong() : null);
    Map<String, Object> counters = server.counters();
    if (!counters.isEmpty()) {
      out.put("counters", counters);
    }
    out.put("zones", zoneList(ApiCaller.ADMIN));
    cache.ifPresent(c -> out.put("cache", c.stats()));
    return out;
  }

  Map<String, Object> reload() {
    ServerControl.ReloadReport report;
    try {
      report = server.reload();
    } catch (ServerControl.ReloadRefused e) {
      throw new ApiException(422, "reload_refused",
          "reload refused, the running configuration is kept: " + e.getMessage());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("zonesLoaded", report.zonesLoaded());
    out.put("problems", report.problems().stream().map(ZoneProblem::toString).toList());
    out.put("applied", report.applied());
    out.put("needsRestart", report.needsRestart());
    return out;
  }

  // ---- zones

  /**
   * The zones served, and the secondary zones whether served or not (one not transferred yet, or
   * expired, has no serial or records); those of {@code who}'s scope.
   */
  List<Map<String, Object>> zoneList(ApiCaller who) {
    Map<Name, Map<String, Object>> secondaries = new java.util.HashMap<>(server.secondaryZones());
    secondaries.keySet().removeIf(origin -> !who.scope().coversZone(origin));
    java.util.TreeMap<Name, Map<String, Object>> zones = new java.util.TreeMap<>();
    for (ZoneSnapshot z : registry.current().zones()) {
      if (who.scope().coversZone(z.origin())) {
        zones.put(z.origin(), summary(z, secondaries.get(z.origin())));
      }
    }
    secondaries.forEach((origin, fields) -> {
      if (!zones.containsKey(origin)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", origin.toString());
        m.put("serial", null);
        m.put("records", null);
        m.put("source", "secondary");
        m.putAll(fields);
        zones.put(origin, m);
      }
    });
    return new ArrayList<>(zones.values());
  }

  private Map<String, Object> summary(ZoneSnapshot z, Map<String, Object> secondary) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", z.origin().toString());
    m.put("serial", z.serial());
    m.put("records", z.records().size());
    m.put("source", secondary != null ? "secondary" : editor.zone(z.origin()).isPresent() ? "store" : "file");
    if (secondary != null) {
      m.putAll(secondary);
    }
    return m;
  }

  Map<String, Object> createZone(JsonNode body, ApiCaller who) {
    Name origin = RecordSyntax.newZone(Body.text(body, "name", true), Body.bool(body, "allowTld", false));
    who.requireWholeZone(origin);
    long ttl = RecordSyntax.ttl(Body.number(body, "ttl", DEFAULT_TTL));
    List<Name> nameservers = new ArrayList<>();
    for (String ns : Body.texts(body, "nameservers")) {
      nameservers.add(absolute(ns, origin, "name server"));
    }
    if (nameservers.isEmpty()) {
      nameservers.add(name("ns1", origin));
    }
    String email = Body.text(body, "email", false);
    // RFC 1035 3.3.13 RNAME: the mailbox as a name; "user@example.com" is absolute, a bare label is in the zone.
    String mailbox = email == null ? null : email.contains("@") ? mailboxName(email) : email;
    Name admin = mailbox == null ? name("hostmaster", origin) : absolute(mailbox, origin, "email");
    long serial = Body.number(body, "serial", defaultSerial());
    if (serial < 0 || serial > 0xffffffffL) {
      throw ApiException.badRequest("serial " + serial + " is not a 32-bit number");
    }
    List<Record> records = new ArrayList<>();
    records.add(new SOARecord(origin, DClass.IN, ttl, nameservers.get(0), admin, serial, SOA_REFRESH, SOA_RETRY,
        SOA_EXPIRE, SOA_MINIMUM));
    for (Name ns : nameservers) {
      records.add(new NSRecord(origin, DClass.IN, ttl, ns));
    }
    if (registry.current().zone(origin) != null && editor.zone(origin).isEmpty()) {
      throw new ApiException(409, "zone_from_file", "zone " + origin
          + " is served from a zone file; import it to move it into the store: namuctl zone export " + origin
          + " -o " + origin + "zone && namuctl zone import " + origin + "zone");
    }
    EditOutcome out = editor.create(origin, records, who.actor());
    return result(origin, out);
  }

  Map<String, Object> showZone(Name origin) {
    ZoneSnapshot z = served(origin);
    Map<String, Object> m = summary(z, server.secondaryZones().get(z.origin()));
    m.put("soa", z.soa().rdataToString());
    m.put("rrsets", recordViews(z.records()));
    editor.signing(origin).ifPresent(sg -> m.put("signing", ZoneSigningView.of(sg, z, editor.signingDue(origin))));
    return m;
  }

  Map<String, Object> deleteZone(Name origin, ApiCaller who) {
    who.requireWholeZone(origin);
    stored(origin);
    return result(origin, editor.delete(origin, who.actor()));
  }

  String exportZone(Name origin) {
    return ZoneText.export(served(origin));
  }

  Map<String, Object> importZone(Name origin, String text, ApiCaller who) {
    who.requireWholeZone(origin);
    if (editor.zone(origin).isEmpty()) {
      // the import creates the zone: its name must be one a zone may be created with
      RecordSyntax.newZone(origin.toString(), false);
    }
    ZoneSnapshot parsed = ZoneText.parse(text, origin);
    return result(origin, editor.replace(origin, parsed.records(), who.actor()));
  }

  /** How a stored zone is signed: its keys and their states, the DS for the parent, the next upkeep. */
  Map<String, Object> signing(Name origin) {
    stored(origin);
    Optional<ZoneSigning> s = editor.signing(origin);
    if (s.isEmpty()) {
      return Map.of("zone", origin.toString(), "signed", false);
    }
    return ZoneSigningView.of(s.get(), served(origin), editor.signingDue(origin));
  }

  /**
   * Signs a stored zone from now on with new keys: {@code algorithm} (ecdsap256sha256, the default, or
   * ed25519), {@code nsec3} (false: NSEC), {@code zskLifetimeSeconds} (30 days),
   * {@code propagationDelaySeconds} (an hour: what each rollover step waits on top of the TTLs).
   */
  Map<String, Object> sign(Name origin, JsonNode body) {
    stored(origin);
    if (editor.signing(origin).isPresent()) {
      throw new ApiException(409, "signed", "zone " + origin + " is signed already (namuctl zone show "
          + origin + " shows its keys)");
    }
    String name = body.path("algorithm").asText(SigningAlgorithm.ECDSAP256SHA256.mnemonic());
    SigningAlgorithm algorithm = SigningAlgorithm.byMnemonic(name).orElseThrow(() -> ApiException.badRequest(
        "unknown algorithm '" + name + "': use ecdsap256sha256 or ed25519"));
    JsonNode nsec3 = body.path("nsec3");
    if (!nsec3.isMissingNode() && !nsec3.isBoolean()) {
      throw ApiException.badRequest("nsec3 must be true or false");
    }
    Duration lifetime = ZoneSigning.DEFAULT_ZSK_LIFETIME;
    JsonNode life = body.path("zskLifetimeSeconds");
    if (!life.isMissingNode()) {
      if (!life.canConvertToLong() || life.asLong() < 3600) {
        throw ApiException.badRequest("zskLifetimeSeconds must be a whole number of seconds, at least 3600");
      }
      lifetime = Duration.ofSeconds(life.asLong());
    }
    Duration delay = ZoneSigning.DEFAULT_PROPAGATION_DELAY;
    JsonNode propagation = body.path("propagationDelaySeconds");
    if (!propagation.isMissingNode()) {
      if (!propagation.canConvertToLong() || propagation.asLong() < 0) {
        throw ApiException.badRequest("propagationDelaySeconds must be a whole number of seconds, 0 or more");
      }
      delay = Duration.ofSeconds(propagation.asLong());
    }
    ZoneSigning signing = ZoneSigning.generate(origin, algorithm, nsec3.asBoolean(false), lifetime, delay,
        clock.instant());
    result(origin, editor.sign(signing, ApiCaller.ADMIN.actor()));
    return signing(origin);
  }

  /** Stops signing a stored zone. */
  Map<String, Object> unsign(Name origin) {
    stored(origin);
    if (editor.signing(origin).isEmpty()) {
      throw ApiException.notFound("zone " + origin + " is not signed by namud");
    }
    return result(origin, editor.unsign(origin, ApiCaller.ADMIN.actor()));
  }

  /** The DS records of a signed zone, for its parent. */
  Map<String, Object> ds(Name origin) {
    stored(origin);
    ZoneSigning s = editor.signing(origin).orElseThrow(
        () -> ApiException.notFound("zone " + origin + " is not signed by namud: no DS (namuctl zone sign " + origin + ")"));
    return Map.of("zone", origin.toString(), "ds", ZoneSigningView.ds(s, served(origin)));
  }

  /** Starts a KSK rollover (double-DS): a new KSK whose DS the parent is to publish beside the old one. */
  Map<String, Object> rolloverKsk(Name origin) {
    stored(origin);
    if (editor.signing(origin).isEmpty()) {
      throw ApiException.notFound("zone " + origin + " is not signed by namud");
    }
    boolean[] started = {false};
    result(origin, editor.changeKeys(origin, s -> {
      Optional<ZoneSigning> next = KeySchedule.startKskRollover(s.orElseThrow(), clock.instant());
      started[0] = next.isPresent();
      return next;
    }, ApiCaller.ADMIN.actor()));
    if (!started[0]) {
      throw new ApiException(409, "rollover_under_way", "a KSK rollover of " + origin
          + " waits for its DS already: publish the DS namuctl zone ds shows, then namuctl zone ds-published " + origin);
    }
    return signing(origin);
  }

  /**
   * Starts a ZSK rollover by pre-publication now: a new ZSK is published, and the signing upkeep
   * makes it sign once the DNSKEY TTL and the propagation delay have passed, then removes the old one.
   */
  Map<String, Object> rolloverZsk(Name origin) {
    stored(origin);
    if (editor.signing(origin).isEmpty()) {
      throw ApiException.notFound("zone " + origin + " is not signed by namud");
    }
    boolean[] started = {false};
    result(origin, editor.changeKeys(origin, s -> {
      Optional<ZoneSigning> next = KeySchedule.startZskRollover(s.orElseThrow(), clock.instant());
      started[0] = next.isPresent();
      return next;
    }, ApiCaller.ADMIN.actor()));
    if (!started[0]) {
      throw new ApiException(409, "rollover_under_way", "a ZSK rollover of " + origin
          + " is under way already (namuctl zone show " + origin + " shows its keys)");
    }
    return signing(origin);
  }

  /** The parent publishes the new KSK's DS: the new KSK replaces the old one. */
  Map<String, Object> dsPublished(Name origin) {
    stored(origin);
    if (editor.signing(origin).isEmpty()) {
      throw ApiException.notFound("zone " + origin + " is not signed by namud");
    }
    boolean[] done = {false};
    result(origin, editor.changeKeys(origin, s -> {
      Optional<ZoneSigning> next = KeySchedule.dsPublished(s.orElseThrow(), clock.instant());
      done[0] = next.isPresent();
      return next;
    }, ApiCaller.ADMIN.actor()));
    if (!done[0]) {
      throw new ApiException(409, "no_rollover", "no KSK rollover of " + origin
          + " waits for its DS (namuctl zone rollover " + origin + " --ksk starts one)");
    }
    return signing(origin);
  }

  /** A stored zone's transfer settings: who may transfer it, whom its changes are notified to. */
  Map<String, Object> transferSettings(Name origin) {
    transferable(origin);
    TransferSettings t = store.transferSettings().getOrDefault(origin, TransferSettings.NONE);
    return transferView(origin, t);
  }

  /**
   * Sets a stored zone's transfer settings: {@code allowTransfer} (TSIG key names, addresses and
   * CIDR ranges) and {@code alsoNotify} (ADDR[:PORT]), each a list that replaces the one stored;
   * a field left out keeps its value. Every entry is checked before anything is stored.
   */
  Map<String, Object> updateTransfer(Name origin, JsonNode body) {
    transferable(origin);
    TransferSettings now = store.transferSettings().getOrDefault(origin, TransferSettings.NONE);
    TransferSettings next = new TransferSettings(
        textList(body, "allowTransfer").orElse(now.allowTransfer()),
        textList(body, "alsoNotify").orElse(now.alsoNotify()));
    try {
      ZoneTransferPolicy.of(next);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    try {
      store.putTransferSettings(origin, next);
    } catch (StoreConflictException e) {
      throw ApiException.notFound("no stored zone " + origin);
    }
    return transferView(origin, next);
  }

  private void transferable(Name origin) {
    if (editor.zone(origin).isEmpty()) {
      if (registry.current().zone(origin) != null) {
        throw new ApiException(409, "zone_from_file", "zone " + origin + " is served from a zone file, whose"
            + " transfer settings are the config file's (transfer.allow, transfer.also-notify); or move it into the"
            + " store: namuctl zone import");
      }
      throw ApiException.notFound("no stored zone " + origin);
    }
  }

  private static Map<String, Object> transferView(Name origin, TransferSettings t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", origin.toString());
    m.put("allowTransfer", t.allowTransfer());
    m.put("alsoNotify", t.alsoNotify());
    return m;
  }

  private static Optional<List<String>> textList(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      throw ApiException.badRequest(field + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual() || e.asText().isBlank()) {
        throw ApiException.badRequest(field + " must be a list of non-empty strings");
      }
      out.add(e.asText().trim());
    }
    return Optional.of(out);
  }

  List<Map<String, Object>> journal(Name origin, int limit) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JournalEntry e : store.journal(origin, limit)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id());
      m.put("serialBefore", e.serialBefore().isPresent() ? e.serialBefore().getAsLong() : null);
      m.put("serialAfter", e.serialAfter().isPresent() ? e.serialAfter().getAsLong() : null);
      m.put("when", e.when().toString());
      m.put("by", e.actor());
      m.put("removed", recordViews(e.removed()));
      m.put("added", recordViews(e.added()));
      out.add(m);
    }
    return out;
  }

  // ---- records

  List<Map<String, Object>> listRecords(Name origin, String nameFilter, String typeFilter) {
    ZoneSnapshot z = served(origin);
    Name name = nameFilter == null ? null : RecordSyntax.owner(nameFilter, origin);
    int type = typeFilter == null ? -1 : RecordSyntax.type(typeFilter);
    List<Record> selected = z.records().stream()
        .filter(r -> name == null || r.getName().equals(name))
        .filter(r -> type < 0 || r.getType() == type)
        .toList();
    return recordViews(selected);
  }

  Map<String, Object> addRecord(Name origin, JsonNode body, ApiCaller who) {
    stored(origin);
    Record r = recordFrom(body, origin);
    return apply(origin, List.of(new RecordOperation.Add(r)), Body.bool(body, "ptr", true), who);
  }

  Map<String, Object> replaceRRset(Name origin, JsonNode body, ApiCaller who) {
    stored(origin);
    return apply(origin, List.of(replacement(origin, body)), Body.bool(body, "ptr", true), who);
  }

  Map<String, Object> deleteRecords(Name origin, String nameText, String typeText, String data, boolean ptr,
      ApiCaller who) {
    stored(origin);
    return apply(origin, List.of(deletion(origin, nameText, typeText, data)), ptr, who);
  }

  Map<String, Object> batch(Name origin, JsonNode body, ApiCaller who) {
    stored(origin);
    JsonNode changes = body.get("changes");
    if (changes == null || !changes.isArray() || changes.isEmpty()) {
      throw ApiException.badRequest("a batch needs a non-empty \"changes\" array");
    }
    int records = 0;
    for (JsonNode c : changes) {
      JsonNode data = c.get("data");
      records += data != null && data.isArray() ? Math.max(1, data.size()) : 1;
    }
    if (records > MAX_BATCH_RECORDS) {
      throw new ApiException(413, "batch_too_large", "a batch may carry at most " + MAX_BATCH_RECORDS
          + " records, this one has " + records + "; split it into several batches or import a zone file");
    }
    List<RecordOperation> ops = new ArrayList<>();
    int i = 0;
    for (JsonNode c : changes) {
      try {
        ops.add(operation(origin, c));
      } catch (ApiException e) {
        throw new ApiException(e.status(), e.code(), "change " + i + ": " + e.getMessage(), e.problems());
      }
      i++;
    }
    return apply(origin, ops, Body.bool(body, "ptr", true), who);
  }

  private RecordOperation operation(Name origin, JsonNode c) {
    if (!c.isObject()) {
      throw ApiException.badRequest("each change must be an object");
    }
    String op = Body.text(c, "op", true);
    switch (op) {
      case "add":
        return new RecordOperation.Add(recordFrom(c, origin));
      case "delete":
        return deletion(origin, Body.text(c, "name", true), Body.text(c, "type", false), Body.text(c, "data", false));
      case "replace":
        return replacement(origin, c);
      default:
        throw ApiException.badRequest("unknown op '" + op + "' (add, delete, replace)");
    }
  }

  /** The RRset at {@code name} and {@code type} replaced by one record for each of {@code data}. */
  private static RecordOperation replacement(Name origin, JsonNode c) {
    Name owner = RecordSyntax.owner(Body.text(c, "name", true), origin);
    int type = RecordSyntax.type(Body.text(c, "type", true));
    long ttl = Body.number(c, "ttl", DEFAULT_TTL);
    List<Record> records = new ArrayList<>();
    for (String data : Body.texts(c, "data")) {
      records.add(RecordSyntax.record(owner, type, ttl, data, origin));
    }
    return new RecordOperation.ReplaceRRset(owner, type, records);
  }

  private static RecordOperation deletion(Name origin, String nameText, String typeText, String data) {
    Name owner = RecordSyntax.owner(nameText, origin);
    if (typeText == null) {
      if (data != null) {
        throw ApiException.badRequest("deleting a record by its data needs its type too");
      }
      return new RecordOperation.DeleteName(owner);
    }
    int type = RecordSyntax.type(typeText);
    if (data == null) {
      return new RecordOperation.DeleteRRset(owner, type);
    }
    return new RecordOperation.Delete(RecordSyntax.record(owner, type, 0, data, origin));
  }

  private Record recordFrom(JsonNode body, Name origin) {
    Name owner = RecordSyntax.owner(Body.text(body, "name", true), origin);
    int type = RecordSyntax.type(Body.text(body, "type", true));
    long ttl = Body.number(body, "ttl", DEFAULT_TTL);
    return RecordSyntax.record(owner, type, ttl, Body.text(body, "data", true), origin);
  }

  private Map<String, Object> apply(Name origin, List<RecordOperation> ops, boolean ptr, ApiCaller who) {
    ZoneChange change = ZoneChange.of(origin, ops);
    List<ZoneChange> changes = ptr ? pointers.withPointers(change, editor.zone(origin)) : List.of(change);
    who.requireChanges(changes);
    Map<String, Object> out = result(origin, editor.edit(changes, who.actor()));
    // the names as written, so a caller sees where a name it typed ended up
    out.put("names", ops.stream().map(op -> op.name().toString()).distinct().toList());
    return out;
  }

  // ---- records of a view (split horizon)

  /** The records view {@code view} lays over {@code origin} (its own, not the common zone's). */
  List<Map<String, Object>> listViewRecords(Name origin, String view, String nameFilter, String typeFilter) {
    ServedViews views = views(view);
    served(origin);
    Name name = nameFilter == null ? null : RecordSyntax.owner(nameFilter, origin);
    int type = typeFilter == null ? -1 : RecordSyntax.type(typeFilter);
    List<Record> selected = viewCall(() -> views.records(view, origin)).stream()
        .filter(r -> name == null || r.getName().equals(name))
        .filter(r -> type < 0 || r.getType() == type)
        .toList();
    return recordViews(selected);
  }

  /** Adds a record to a view, as {@link #addRecord} adds one to the zone. */
  Map<String, Object> addViewRecord(Name origin, String view, JsonNode body, ApiCaller who) {
    return editView(origin, view, new RecordOperation.Add(recordFrom(body, origin)), who);
  }

  /** Replaces an RRset of a view, as {@link #replaceRRset} replaces one of the zone. */
  Map<String, Object> replaceViewRRset(Name origin, String view, JsonNode body, ApiCaller who) {
    return editView(origin, view, replacement(origin, body), who);
  }

  /**
   * Deletes records of a view, as {@link #deleteRecords} deletes the zone's: the common zone's
   * records of that name and type show through again.
   */
  Map<String, Object> deleteViewRecords(Name origin, String view, String nameText, String typeText, String data,
      ApiCaller who) {
    return editView(origin, view, deletion(origin, nameText, typeText, data), who);
  }

  /** One change of a view's records; no PTR is made (a view's addresses are the view's alone). */
  private Map<String, Object> editView(Name origin, String view, RecordOperation op, ApiCaller who) {
    ServedViews views = views(view);
    served(origin);
    who.requireChanges(List.of(ZoneChange.of(origin, op)));
    List<Record> before = viewCall(() -> views.records(view, origin));
    List<Record> after = viewCall(() -> views.edit(view, origin, List.of(op)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("zone", origin.toString());
    m.put("view", view);
    m.put("changed", before != after);
    m.put("records", recordViews(after));
    m.put("names", List.of(op.name().toString()));
    return m;
  }

  private ServedViews views(String view) {
    return server.views().orElseThrow(() -> ApiException.notFound(
        "no view " + view + ": this namud has no views (define one with --view NAME=CIDR or views: in its config file)"));
  }

  private static <T> T viewCall(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException e) {
      throw new ApiException(e.getMessage().startsWith("no view") ? 404 : 422,
          e.getMessage().startsWith("no view") ? "no_such_view" : "invalid", e.getMessage());
    } catch (IllegalStateException e) {
      throw new ApiException(503, "store_not_ready", e.getMessage());
    }
  }

  // ---- keys

  List<Map<String, Object>> keys() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (StoredKey k : store.keys()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", k.name().toString());
      m.put("algorithm", k.algorithm());
      m.put("created", k.created().toString());
      m.put("scope", k.scope().describe());
      out.add(m);
    }
    return out;
  }

  Map<String, Object> addKey(JsonNode body) {
    Name name = RecordSyntax.keyName(Body.text(body, "name", true));
    String algorithm = Optional.ofNullable(Body.text(body, "algorithm", false)).orElse("hmac-sha256");
    if (TsigKeyring.algorithm(algorithm).isEmpty()) {
      throw ApiException.badRequest("unsupported TSIG algorithm '" + algorithm + "' (" + TsigKeyring.ALGORITHMS + ")");
    }
    String secret = Body.text(body, "secret", false);
    if (secret == null) {
      // RFC 8945 6: keys as long as the hash output.
      byte[] raw = new byte[algorithm.equals("hmac-sha256") ? 32 : algorithm.equals("hmac-sha384") ? 48 : 64];
      random.nextBytes(raw);
      secret = Base64.getEncoder().encodeToString(raw);
    } else {
      try {
        if (Base64.getDecoder().decode(secret).length < 16) {
          throw ApiException.badRequest("TSIG secret is shorter than 16 bytes");
        }
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("TSIG secret is not base64: " + e.getMessage());
      }
    }
    EditScope scope = scope(body);
    store.putKey(new StoredKey(name, algorithm, secret, clock.instant(), scope));
    keyring.refresh();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name.toString());
    m.put("algorithm", algorithm);
    m.put("secret", secret);
    m.put("scope", scope.describe());
    return m;
  }

  /**
   * The scope a key (or token) body asks for: {@code zones} and {@code types} (strings or arrays),
   * {@code owner} (one name, relative to each zone or absolute) and {@code subtree}; none: any.
   */
  static EditScope scope(JsonNode body) {
    try {
      return EditScope.parse(String.join(" ", Body.texts(body, "zones")), Body.text(body, "owner", false),
          Body.bool(body, "subtree", false), String.join(" ", Body.texts(body, "types")));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  Map<String, Object> deleteKey(String nameText) {
    Name name = RecordSyntax.zone(nameText);
    if (!store.deleteKey(name)) {
      throw ApiException.notFound("no TSIG key " + name);
    }
    keyring.refresh();
    return Map.of("deleted", name.toString());
  }

  // ---- named API tokens

  List<Map<String, Object>> tokens() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (StoredToken t : store.tokens()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("created", t.created().toString());
      m.put("scope", t.scope().describe());
      out.add(m);
    }
    return out;
  }

  /** Makes a token, keeps only its SHA-256, and shows the token this once. */
  Map<String, Object> addToken(JsonNode body) {
    String name = Body.text(body, "name", true);
    if (!StoredToken.validName(name)) {
      throw ApiException.badRequest("bad token name '" + name
          + "': 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    EditScope scope = scope(body);
    String token = ApiToken.fresh(random);
    try {
      store.addToken(new StoredToken(name, ApiTokens.sha256(token), clock.instant(), scope));
    } catch (StoreConflictException e) {
      throw new ApiException(409, "token_exists", "a token named " + name
          + " exists already; delete it first (namuctl token delete " + name + ")");
    }
    tokens.refresh();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("token", token);
    m.put("scope", scope.describe());
    return m;
  }

  Map<String, Object> deleteToken(String name) {
    if (!store.deleteToken(name)) {
      throw ApiException.notFound("no API token " + name);
    }
    tokens.refresh();
    return Map.of("deleted", name);
  }

  // ---- cache

  Map<String, Object> flushCache(JsonNode body) {
    CacheControl c = cache.orElseThrow(() -> new ApiException(501, "no_cache",
        "this server runs no resolver cache (recursion is not enabled), so there is nothing to flush"));
    String nameText = body == null ? null : Body.text(body, "name", false);
    Optional<Name> name = nameText == null ? Optional.empty() : Optional.of(RecordSyntax.zone(nameText));
    long dropped = c.flush(name);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("flushed", name.map(Name::toString).orElse("all"));
    m.put("entries", dropped);
    return m;
  }

  /** Most entries one dump shows: a bigger cache is listed in part, with the count of the rest. */
  static final int MAX_DUMP_LIMIT = 100_000;
  static final int DEFAULT_DUMP_LIMIT = 1000;

  /** {@code GET cache/dump}: the entries of one name (every type), or the first {@code limit} of all. */
  Map<String, Object> dumpCache(String nameText, String limitText) {
    CacheControl c = cache.orElseThrow(() -> noCache());
    Optional<Name> name = nameText == null ? Optional.empty() : Optional.of(RecordSyntax.name(nameText, "name"));
    return c.dump(name, dumpLimit(limitText));
  }

  private static int dumpLimit(String text) {
    if (text == null) {
      return DEFAULT_DUMP_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text.trim());
      if (limit >= 1 && limit <= MAX_DUMP_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // refused below, as a number out of bounds is
    }
    throw ApiException.badRequest("limit '" + text + "' must be a number from 1 to " + MAX_DUMP_LIMIT);
  }

  /** {@code GET cache/infra}: what the resolver knows of each upstream server address. */
  Map<String, Object> cacheInfra() {
    return cache.orElseThrow(() -> noCache()).infra();
  }

  private static ApiException noCache() {
    return new ApiException(501, "no_cache",
        "recursion is off on this server (--no-recursion), so it has no resolver cache to show");
  }

  // ---- explain

  /** How namud would answer a question for a client, and why (see ServerControl#explain). */
  Map<String, Object> explain(String name, String type, String client) {
    try {
      return server.explain(name, type, client);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    } catch (UnsupportedOperationException e) {
      throw new ApiException(501, "no_explain", e.getMessage());
    } catch (IllegalStateException e) {
      throw new ApiException(503, "explain_failed", e.getMessage());
    }
  }

  // ---- helpers

  private ZoneSnapshot served(Name origin) {
    ZoneSnapshot z = registry.current().zone(origin);
    if (z == null) {
      throw ApiException.notFound("no zone " + origin + " is served here");
    }
    return z;
  }

  private void stored(Name origin) {
    if (editor.zone(origin).isEmpty()) {
      if (registry.current().zone(origin) != null) {
        throw new ApiException(409, "zone_from_file", "zone " + origin
            + " is served from a zone file and cannot be edited live; move it into the store first: namuctl zone export "
            + origin + " -o " + origin + "zone && namuctl zone import " + origin + "zone");
      }
      throw ApiException.notFound("no zone " + origin + " is served here");
    }
  }

  private Map<String, Object> result(Name origin, EditOutcome outcome) {
    if (outcome instanceof EditOutcome.Rejected r) {
      int status;
      switch (r.reason()) {
        case NO_SUCH_ZONE:
        case NOT_FOUND:
          status = 404;
          break;
        case ZONE_EXISTS:
        case CNAME_CONFLICT:
          status = 409;
          break;
        case STORE_FAILED:
          status = 503;
          break;
        case INVALID:
          status = 422;
          break;
        case SIGNED_BY_SERVER:
          status = 400;
          break;
        default:
          status = 412;
      }
      throw new ApiException(status, r.reason().name().toLowerCase(java.util.Locale.ROOT), r.message(), r.problems());
    }
    EditOutcome.Applied applied = (EditOutcome.Applied) outcome;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("zone", origin.toString());
    m.put("changed", applied.changed());
    ZoneSnapshot now = registry.current().zone(origin);
    m.put("serial", now == null ? null : now.serial());
    List<Map<String, Object>> zones = new ArrayList<>();
    for (ZoneDiff d : applied.diffs()) {
      Map<String, Object> z = new LinkedHashMap<>();
      z.put("zone", d.origin().toString());
      z.put("serialBefore", d.before().map(ZoneSnapshot::serial).orElse(null));
      z.put("serialAfter", d.after().map(ZoneSnapshot::serial).orElse(null));
      z.put("removed", d.removed().size());
      z.put("added", d.added().size());
      zones.add(z);
    }
    m.put("zones", zones);
    return m;
  }

  static List<Map<String, Object>> recordViews(List<Record> records) {
    List<Map<String, Object>> out = new ArrayList<>(records.size());
    for (Record r : records) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.getName().toString());
      m.put("type", Type.string(r.getType()));
      m.put("ttl", r.getTTL());
      m.put("data", r.rdataToString());
      out.add(m);
    }
    return out;
  }

  private long defaultSerial() {
    // The common date scheme YYYYMMDDnn (RFC 1912 2.2), starting at 01.
    return Long.parseLong(DateTimeFormatter.ofPattern("yyyyMMdd").format(clock.instant().atZone(ZoneOffset.UTC))) * 100 + 1;
  }

  private static Name name(String label, Name origin) {
    try {
      return Name.fromString(label, origin);
    } catch (TextParseException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static Name absolute(String text, Name origin, String what) {
    try {
      return Name.fromString(text, origin);
    } catch (TextParseException e) {
      throw ApiException.badRequest("bad " + what + " '" + text + "': " + e.getMessage());
    }
  }

  /**
   * "john.doe@example.com" as the name {@code john\.doe.example.com.}: a dot in the local part is
   * escaped, since it would otherwise read back as a label boundary (RFC 1035 8).
   */
  private static String mailboxName(String email) {
    int at = email.indexOf('@');
    String local = email.substring(0, at).replace(".", "\\.");
    String domain = email.substring(at + 1);
    return local + "." + domain + (domain.endsWith(".") ? "" : ".");
  }
}
