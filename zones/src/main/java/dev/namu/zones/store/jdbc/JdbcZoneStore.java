package dev.namu.zones.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.namu.zones.store.JournalEntry;
import dev.namu.zones.store.RecordText;
import dev.namu.zones.store.StoreConflictException;
import dev.namu.zones.store.StoreException;
import dev.namu.zones.store.EditScope;
import dev.namu.zones.store.StoredKey;
import dev.namu.zones.store.StoredToken;
import dev.namu.zones.store.StoredZone;
import dev.namu.zones.store.TransferSettings;
import dev.namu.zones.store.ViewOverlay;
import dev.namu.zones.store.ViewOverlaysVersion;
import dev.namu.zones.sign.KeyRole;
import dev.namu.zones.sign.KeyState;
import dev.namu.zones.sign.SigningAlgorithm;
import dev.namu.zones.sign.SigningKey;
import dev.namu.zones.sign.ZoneSigning;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneVersion;
import dev.namu.zones.store.ZoneWrite;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * {@link ZoneStore} on a JDBC database through a HikariCP pool; the schema is created and upgraded by
 * the Flyway migrations in {@code db/migration}. Each {@link #commit} is one database transaction.
 */
public final class JdbcZoneStore implements ZoneStore {

  private static final Logger log = LoggerFactory.getLogger(JdbcZoneStore.class);

  private final HikariDataSource dataSource;
  private final Clock clock;
  /**
   * Zone ids by origin key, as far as this process has seen them; only a hint: every use checks the
   * row (see {@link #advanceSerial}).
   */
  /** The kinds of rows in zone_transfer_settings. */
  private static final String ALLOW = "allow-transfer";
  private static final String NOTIFY = "also-notify";

  private final Map<String, Long> zoneIds = new ConcurrentHashMap<>();

  private JdbcZoneStore(HikariDataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** Opens the pool and migrates the schema to the newest version. */
  public static JdbcZoneStore open(JdbcStoreConfig config, Clock clock) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(config.url());
    // An empty user leaves the driver to take it from the URL (PostgreSQL's ?user=&password=) or
    // its own files (~/.pgpass): an empty one set here would override them.
    if (!config.user().isEmpty()) {
      hikari.setUsername(config.user());
      hikari.setPassword(config.password());
    }
    // Flyway holds one connection for its lock while migrating on another: two at least.
    hikari.setMaximumPoolSize(Math.max(2, config.maxPoolSize()));
    hikari.setConnectionTimeout(10_000);
    hikari.setMinimumIdle(1);
    hikari.setAutoCommit(false);
    hikari.setPoolName("namu-store");
    // Fail fast with a clear message when the database is unreachable or locked by another process.
    hikari.setInitializationFailTimeout(1);
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new StoreException("cannot open zone store " + config.shownUrl() + ": " + rootMessage(e), e);
    }
    try {
      migrate(dataSource);
    } catch (FlywayException e) {
      dataSource.close();
      throw new StoreException("cannot migrate zone store schema at " + config.shownUrl() + ": " + e.getMessage(), e);
    }
    try {
      tunePlanner(dataSource);
    } catch (SQLException e) {
      dataSource.close();
      throw new StoreException("cannot prepare zone store " + config.shownUrl() + ": " + e.getMessage(), e);
    }
    log.debug("zone store open: {}", config.shownUrl());
    return new JdbcZoneStore(dataSource, clock);
  }

  /**
   * Brings the schema to the newest version. V10 was numbered after V11 and V12: a store already
   * past it has it left behind (Flyway's "ignored"), and takes it out of order (each of those
   * migrations stands alone) rather than failing validation. Only then: Flyway warns at every
   * migration run in that mode.
   */
  private static void migrate(HikariDataSource dataSource) {
    FluentConfiguration config = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
    Flyway flyway = config.load();
    if (Arrays.stream(flyway.info().all()).anyMatch(m -> m.getState() == MigrationState.IGNORED)) {
      flyway = config.outOfOrder(true).load();
    }
    flyway.migrate();
  }

  /**
   * H2 plans a statement from column selectivities, which it only measures after ANALYZE (run by
   * itself once a table has seen 2,000 row changes). Until then it guesses 50% for every column and
   * picks the foreign-key index on {@code records.zone_id} over {@code records_by_owner} for the
   * delete an edit makes (the old SOA at least), so every edit of a young zone scanned all its
   * records. A zone id is shared by all records of a zone: saying so (selectivity 1%) lets H2 take
   * the owner index from the start; a later ANALYZE replaces the figure with a measured one.
   * Other databases keep statistics of their own.
   */
  private static void tunePlanner(HikariDataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (!"H2".equals(c.getMetaData().getDatabaseProductName())) {
        return;
      }
      try (Statement st = c.createStatement()) {
        st.execute("ALTER TABLE records ALTER COLUMN zone_id SELECTIVITY 1");
      }
      c.commit();
    }
  }

  public static JdbcZoneStore open(JdbcStoreConfig config) {
    return open(config, Clock.systemUTC());
  }

  @Override
  public List<Name> zoneNames() {
    return read(c -> {
      List<Name> names = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT origin FROM zones");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(name(rs.getString(1)));
        }
      }
      names.sort(null);
      return List.copyOf(names);
    });
  }

  @Override
  public Optional<StoredZone> load(Name origin) {
    return read(c -> {
      List<StoredZone> zones = loadWhere(c, " WHERE z.origin_key = ?", key(origin));
      return zones.isEmpty() ? Optional.empty() : Optional.of(zones.get(0));
    });
  }

  @Override
  public List<StoredZone> loadAll() {
    return read(c -> loadWhere(c, "", null));
  }

  private static List<StoredZone> loadWhere(Connection c, String where, String arg) throws SQLException {
    String sql = "SELECT z.id, z.origin, z.serial, r.owner, r.rtype, r.rclass, r.ttl, r.rdata"
        + " FROM zones z LEFT JOIN records r ON r.zone_id = z.id" + where + " ORDER BY z.id, r.id";
    Map<Long, Name> origins = new LinkedHashMap<>();
    Map<Long, Long> serials = new LinkedHashMap<>();
    Map<Long, List<Record>> records = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (arg != null) {
        ps.setString(1, arg);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          origins.computeIfAbsent(id, k -> name(stringOf(rs, 2)));
          serials.put(id, rs.getLong(3));
          List<Record> list = records.computeIfAbsent(id, k -> new ArrayList<>());
          String owner = rs.getString(4);
          if (owner != null) {
            list.add(new RecordText(owner, rs.getInt(5), rs.getInt(6), rs.getLong(7), rs.getString(8)).toRecord());
          }
        }
      }
    }
    List<StoredZone> zones = new ArrayList<>();
    origins.forEach((id, origin) -> zones.add(new StoredZone(origin, serials.get(id), records.get(id))));
    zones.sort((a, b) -> a.origin().compareTo(b.origin()));
    return List.copyOf(zones);
  }

  @Override
  public List<ZoneVersion> versions() {
    return read(c -> {
      List<ZoneVersion> versions = new ArrayList<>();
      // the signing's version rides along: a key change without a new serial is followed too
      try (PreparedStatement ps = c.prepareStatement("SELECT z.origin, z.serial, z.id, s.keys_version FROM zones z"
          + " LEFT JOIN zone_signing s ON s.zone_id = z.id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          versions.add(new ZoneVersion(name(rs.getString(1)), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
      }
      return List.copyOf(versions);
    });
  }

  @Override
  public void commit(List<ZoneWrite> writes, String actor) {
    write(c -> {
      for (ZoneWrite w : writes) {
        if (w instanceof ZoneWrite.Put put) {
          applyPut(c, put, actor);
        } else if (w instanceof ZoneWrite.Patch patch) {
          applyPatch(c, patch, actor);
        } else if (w instanceof ZoneWrite.Drop drop) {
          applyDrop(c, drop, actor);
        } else if (w instanceof ZoneWrite.Signing signing) {
          applySigning(c, signing.origin(), signing.signing());
        } else if (w instanceof ZoneWrite.SigningExpected expected) {
          checkSigning(c, expected.origin(), expected.expected());
        }
      }
      return null;
    });
  }

  private void applyPut(Connection c, ZoneWrite.Put put, String actor) throws SQLException {
    Optional<long[]> current = lockZone(c, put.origin());
    List<Record> removed = List.of();
    long zoneId;
    if (put.serialBefore().isEmpty()) {
      if (current.isPresent()) {
        throw new StoreConflictException("zone " + put.origin() + " exists already");
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO zones (origin, origin_key, serial, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
          new String[] {"id"})) {
        OffsetDateTime now = now();
        ps.setString(1, put.origin().toString());
        ps.setString(2, key(put.origin()));
        ps.setLong(3, put.serialAfter());
        ps.setObject(4, now);
        ps.setObject(5, now);
        ps.executeUpdate();
        zoneId = generatedId(ps);
      }
    } else {
      zoneId = expectSerial(current, put.origin(), put.serialBefore().getAsLong());
      removed = recordsOf(c, zoneId);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM records WHERE zone_id = ?")) {
        ps.setLong(1, zoneId);
        ps.executeUpdate();
      }
      setSerial(c, zoneId, put.serialAfter());
    }
    zoneIds.put(key(put.origin()), zoneId);
    insertRecords(c, zoneId, put.records());
    insertJournal(c, put.origin(), put.serialBefore(), OptionalLong.of(put.serialAfter()), removed,
        put.records(), actor);
  }

  private void applyPatch(Connection c, ZoneWrite.Patch patch, String actor) throws SQLException {
    long zoneId = advanceSerial(c, patch.origin(), patch.serialBefore(), patch.serialAfter());
    List<Record> removed = patch.removed();
    List<Record> added = patch.added();
    // Every edit replaces the SOA (its serial moves): that row is rewritten where it is, which leaves
    // the owner index as it is, rather than deleted and inserted anew.
    Record oldSoa = onlySoa(removed);
    Record newSoa = onlySoa(added);
    if (oldSoa != null && newSoa != null && oldSoa.getName().equals(newSoa.getName())) {
      replaceSoa(c, zoneId, patch.origin(), oldSoa, newSoa);
      removed = without(removed, oldSoa);
      added = without(added, newSoa);
    }
    if (!removed.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM records WHERE zone_id = ? AND owner_key = ? AND rtype = ? AND rclass = ? AND rdata = ?")) {
        for (Record r : removed) {
          RecordText t = RecordText.of(r);
          ps.setLong(1, zoneId);
          ps.setString(2, t.ownerKey());
          ps.setInt(3, t.type());
          ps.setInt(4, t.dclass());
          ps.setString(5, t.rdata());
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] == 0) {
            throw new StoreConflictException("zone " + patch.origin() + " has no record " + removed.get(i));
          }
        }
      }
    }
    insertRecords(c, zoneId, added);
    insertJournal(c, patch.origin(), OptionalLong.of(patch.serialBefore()), OptionalLong.of(patch.serialAfter()),
        patch.removed(), patch.added(), actor);
  }

  /** The one SOA record in {@code records}, or null when there is none or more than one. */
  private static Record onlySoa(List<Record> records) {
    Record soa = null;
    for (Record r : records) {
      if (r.getType() == org.xbill.DNS.Type.SOA) {
        if (soa != null) {
          return null;
        }
        soa = r;
      }
    }
    return soa;
  }

  private static List<Record> without(List<Record> records, Record gone) {
    List<Record> rest = new ArrayList<>(records.size());
    for (Record r : records) {
      if (r != gone) {
        rest.add(r);
      }
    }
    return rest;
  }

  /** Rewrites the stored row of {@code before} as {@code after}; a conflict when there is no such row. */
  private static void replaceSoa(Connection c, long zoneId, Name origin, Record before, Record after)
      throws SQLException {
    RecordText old = RecordText.of(before);
    RecordText now = RecordText.of(after);
    try (PreparedStatement ps = c.prepareStatement("UPDATE records SET owner = ?, rclass = ?, ttl = ?, rdata = ?"
        + " WHERE zone_id = ? AND owner_key = ? AND rtype = ? AND rclass = ? AND rdata = ?")) {
      ps.setString(1, now.owner());
      ps.setInt(2, now.dclass());
      ps.setLong(3, now.ttl());
      ps.setString(4, now.rdata());
      ps.setLong(5, zoneId);
      ps.setString(6, old.ownerKey());
      ps.setInt(7, old.type());
      ps.setInt(8, old.dclass());
      ps.setString(9, old.rdata());
      if (ps.executeUpdate() == 0) {
        throw new StoreConflictException("zone " + origin + " has no record " + before);
      }
    }
  }

  private void applyDrop(Connection c, ZoneWrite.Drop drop, String actor) throws SQLException {
    long zoneId = expectSerial(lockZone(c, drop.origin()), drop.origin(), drop.serialBefore());
    zoneIds.remove(key(drop.origin()));
    List<Record> removed = recordsOf(c, zoneId);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM zones WHERE id = ?")) {
      ps.setLong(1, zoneId);
      ps.executeUpdate();
    }
    insertJournal(c, drop.origin(), OptionalLong.of(drop.serialBefore()), OptionalLong.empty(), removed,
        List.of(), actor);
  }

  /**
   * Moves a zone from serial {@code before} to {@code after} and returns its id. The common case is
   * one UPDATE by the remembered id that checks the serial in its WHERE clause and so takes the row
   * lock and makes the check at once (a SELECT ... FOR UPDATE first would cost a statement more, and
   * H2 parses a FOR UPDATE query afresh every time). When it matches no row (id not known yet, zone
   * dropped and created again by another process, or the serial is not the expected one) the zone
   * is looked up under its row lock, which throws the conflict when there is one.
   */
  private long advanceSerial(Connection c, Name origin, long before, long after) throws SQLException {
    String key = key(origin);
    Long known = zoneIds.get(key);
    if (known != null) {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE zones SET serial = ?, updated_at = ? WHERE id = ? AND serial = ?")) {
        ps.setLong(1, after);
        ps.setObject(2, now());
        ps.setLong(3, known);
        ps.setLong(4, before);
        if (ps.executeUpdate() == 1) {
          return known;
        }
      }
    }
    long zoneId = expectSerial(lockZone(c, origin), origin, before);
    zoneIds.put(key, zoneId);
    setSerial(c, zoneId, after);
    return zoneId;
  }

  /** Row lock on the zone (id, serial) so that two writers of one zone cannot both pass the serial check. */
  private static Optional<long[]> lockZone(Connection c, Name origin) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, serial FROM zones WHERE origin_key = ? FOR UPDATE")) {
      ps.setString(1, key(origin));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new long[] {rs.getLong(1), rs.getLong(2)}) : Optional.empty();
      }
    }
  }

  private static long expectSerial(Optional<long[]> current, Name origin, long serial) {
    if (current.isEmpty()) {
      throw new StoreConflictException("zone " + origin + " does not exist");
    }
    if (current.get()[1] != serial) {
      throw new StoreConflictException("zone " + origin + " is at serial " + current.get()[1] + ", not " + serial);
    }
    return current.get()[0];
  }

  private void setSerial(Connection c, long zoneId, long serial) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE zones SET serial = ?, updated_at = ? WHERE id = ?")) {
      ps.setLong(1, serial);
      ps.setObject(2, now());
      ps.setLong(3, zoneId);
      ps.executeUpdate();
    }
  }

  private static List<Record> recordsOf(Connection c, long zoneId) throws SQLException {
    List<Record> list = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT owner, rtype, rclass, ttl, rdata FROM records WHERE zone_id = ? ORDER BY id")) {
      ps.setLong(1, zoneId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          list.add(new RecordText(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getString(5))
              .toRecord());
        }
      }
    }
    return list;
  }

  private static void insertRecords(Connection c, long zoneId, List<Record> records) throws SQLException {
    if (records.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO records (zone_id, owner, owner_key, rtype, rclass, ttl, rdata) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (Record r : records) {
        RecordText t = RecordText.of(r);
        ps.setLong(1, zoneId);
        ps.setString(2, t.owner());
        ps.setString(3, t.ownerKey());
        ps.setInt(4, t.type());
        ps.setInt(5, t.dclass());
        ps.setLong(6, t.ttl());
        ps.setString(7, t.rdata());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Writes the journal entry of one change: one row, its records in {@link JournalText} form, or,
   * for a change too large for that column, the row and one journal_records row per record.
   */
  private void insertJournal(Connection c, Name zone, OptionalLong before, OptionalLong after,
      List<Record> removed, List<Record> added, String actor) throws SQLException {
    Optional<String> inline = JournalText.encode(removed, added);
    String sql = "INSERT INTO journal (zone, zone_key, serial_before, serial_after, changed_at, actor, changes)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    long journalId;
    try (PreparedStatement ps = inline.isPresent() ? c.prepareStatement(sql) : c.prepareStatement(sql, new String[] {"id"})) {
      ps.setString(1, zone.toString());
      ps.setString(2, key(zone));
      setOptional(ps, 3, before);
      setOptional(ps, 4, after);
      ps.setObject(5, now());
      ps.setString(6, actor);
      if (inline.isPresent()) {
        ps.setString(7, inline.get());
        ps.executeUpdate();
        return;
      }
      ps.setNull(7, Types.VARCHAR);
      ps.executeUpdate();
      journalId = generatedId(ps);
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO journal_records (journal_id, seq, op, owner, rtype, rclass, ttl, rdata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      int seq = 0;
      for (Record r : removed) {
        addJournalRecord(ps, journalId, seq++, "-", r);
      }
      for (Record r : added) {
        addJournalRecord(ps, journalId, seq++, "+", r);
      }
      ps.executeBatch();
    }
  }

  private static void addJournalRecord(PreparedStatement ps, long journalId, int seq, String op, Record r)
      throws SQLException {
    RecordText t = RecordText.of(r);
    ps.setLong(1, journalId);
    ps.setInt(2, seq);
    ps.setString(3, op);
    ps.setString(4, t.owner());
    ps.setInt(5, t.type());
    ps.setInt(6, t.dclass());
    ps.setLong(7, t.ttl());
    ps.setString(8, t.rdata());
    ps.addBatch();
  }

  @Override
  public List<JournalEntry> journal(Name origin, int limit) {
    return read(c -> {
      List<long[]> ids = new ArrayList<>();
      List<Object[]> heads = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, zone, serial_before, serial_after, changed_at, actor, changes FROM journal"
              + " WHERE zone_key = ? ORDER BY id DESC")) {
        ps.setString(1, key(origin));
        ps.setMaxRows(Math.max(1, limit));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            heads.add(new Object[] {
              rs.getLong(1), rs.getString(2), optional(rs, 3), optional(rs, 4),
              rs.getObject(5, OffsetDateTime.class), rs.getString(6), rs.getString(7)
            });
          }
        }
      }
      List<JournalEntry> entries = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT op, owner, rtype, rclass, ttl, rdata FROM journal_records WHERE journal_id = ? ORDER BY seq")) {
        for (int i = heads.size() - 1; i >= 0; i--) {
          Object[] h = heads.get(i);
          List<Record> removed = new ArrayList<>();
          List<Record> added = new ArrayList<>();
          if (h[6] != null) {
            // written since V10: the records are in the row
            JournalText.Changes changes = JournalText.decode((String) h[6]);
            removed = changes.removed();
            added = changes.added();
          } else {
            // written before V10, or too large for the row: one journal_records row per record
            ps.setLong(1, (Long) h[0]);
            readJournalRecords(ps, removed, added);
          }
          entries.add(new JournalEntry((Long) h[0], name((String) h[1]), (OptionalLong) h[2], (OptionalLong) h[3],
              removed, added, ((OffsetDateTime) h[4]).toInstant(), (String) h[5]));
        }
      }
      return List.copyOf(entries);
    });
  }

  private static void readJournalRecords(PreparedStatement ps, List<Record> removed, List<Record> added)
      throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Record r = new RecordText(rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getLong(5), rs.getString(6))
            .toRecord();
        ("-".equals(rs.getString(1)) ? removed : added).add(r);
      }
    }
  }

  @Override
  public List<StoredKey> keys() {
    return read(c -> {
      List<StoredKey> keys = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT name, algorithm, secret, created_at, scope_zones, scope_name, scope_subtree, scope_types"
              + " FROM tsig_keys ORDER BY name");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          EditScope scope = EditScope.parse(rs.getString(5), rs.getString(6), rs.getBoolean(7), rs.getString(8));
          keys.add(new StoredKey(name(rs.getString(1)), rs.getString(2), rs.getString(3),
              rs.getObject(4, OffsetDateTime.class).toInstant(), scope));
        }
      }
      return List.copyOf(keys);
    });
  }

  @Override
  public void putKey(StoredKey key) {
    write(c -> {
      try (PreparedStatement del = c.prepareStatement("DELETE FROM tsig_keys WHERE name = ?");
          PreparedStatement ins = c.prepareStatement(
              "INSERT INTO tsig_keys (name, algorithm, secret, created_at, scope_zones, scope_name,"
                  + " scope_subtree, scope_types) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        del.setString(1, key(key.name()));
        del.executeUpdate();
        ins.setString(1, key(key.name()));
        ins.setString(2, key.algorithm());
        ins.setString(3, key.secret());
        ins.setObject(4, key.created().atOffset(ZoneOffset.UTC));
        EditScope scope = key.scope();
        ins.setString(5, scope.zones().isEmpty() ? null : scope.zonesText());
        ins.setString(6, scope.name().map(Name::toString).orElse(null));
        ins.setBoolean(7, scope.subtree());
        ins.setString(8, scope.types().isEmpty() ? null : scope.typesText());
        ins.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public boolean deleteKey(Name name) {
    return write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tsig_keys WHERE name = ?")) {
        ps.setString(1, key(name));
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public List<StoredToken> tokens() {
    return read(c -> {
      List<StoredToken> tokens = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT name, sha256, created_at, scope_zones, scope_name, scope_subtree, scope_types"
              + " FROM api_tokens ORDER BY name");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          EditScope scope = EditScope.parse(rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getString(7));
          tokens.add(new StoredToken(rs.getString(1), rs.getString(2),
              rs.getObject(3, OffsetDateTime.class).toInstant(), scope));
        }
      }
      return List.copyOf(tokens);
    });
  }

  @Override
  public void addToken(StoredToken token) {
    write(c -> {
      try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM api_tokens WHERE name = ?")) {
        exists.setString(1, token.name());
        try (ResultSet rs = exists.executeQuery()) {
          if (rs.next()) {
            throw new StoreConflictException("token " + token.name() + " exists already");
          }
        }
      }
      try (PreparedStatement ins = c.prepareStatement(
          "INSERT INTO api_tokens (name, sha256, created_at, scope_zones, scope_name, scope_subtree, scope_types)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ins.setString(1, token.name());
        ins.setString(2, token.sha256());
        ins.setObject(3, token.created().atOffset(ZoneOffset.UTC));
        EditScope scope = token.scope();
        ins.setString(4, scope.zones().isEmpty() ? null : scope.zonesText());
        ins.setString(5, scope.name().map(Name::toString).orElse(null));
        ins.setBoolean(6, scope.subtree());
        ins.setString(7, scope.types().isEmpty() ? null : scope.typesText());
        ins.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public boolean deleteToken(String name) {
    return write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_tokens WHERE name = ?")) {
        ps.setString(1, name);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public void close() {
    dataSource.close();
  }

  // --- plumbing

  @Override
  public Map<Name, TransferSettings> transferSettings() {
    return read(c -> {
      Map<Name, List<String>> allow = new java.util.LinkedHashMap<>();
      Map<Name, List<String>> notify = new java.util.LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT z.origin, s.kind, s.setting FROM zone_transfer_settings s JOIN zones z ON z.id = s.zone_id"
              + " ORDER BY z.origin_key, s.kind, s.seq");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Name origin = name(rs.getString(1));
          (ALLOW.equals(rs.getString(2)) ? allow : notify).computeIfAbsent(origin, o -> new ArrayList<>())
              .add(rs.getString(3));
        }
      }
      Map<Name, TransferSettings> settings = new java.util.HashMap<>();
      java.util.Set<Name> zones = new java.util.HashSet<>(allow.keySet());
      zones.addAll(notify.keySet());
      for (Name z : zones) {
        settings.put(z, new TransferSettings(allow.getOrDefault(z, List.of()), notify.getOrDefault(z, List.of())));
      }
      return Map.copyOf(settings);
    });
  }

  @Override
  public void putTransferSettings(Name origin, TransferSettings settings) {
    write(c -> {
      Optional<long[]> zone = lockZone(c, origin);
      if (zone.isEmpty()) {
        throw new StoreConflictException("zone " + origin + " does not exist");
      }
      long zoneId = zone.get()[0];
      try (PreparedStatement del = c.prepareStatement("DELETE FROM zone_transfer_settings WHERE zone_id = ?");
          PreparedStatement ins = c.prepareStatement(
              "INSERT INTO zone_transfer_settings (zone_id, kind, seq, setting) VALUES (?, ?, ?, ?)")) {
        del.setLong(1, zoneId);
        del.executeUpdate();
        addSettings(ins, zoneId, ALLOW, settings.allowTransfer());
        addSettings(ins, zoneId, NOTIFY, settings.alsoNotify());
        ins.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Map<Name, ZoneSigning> signing() {
    return read(c -> readSigning(c, null));
  }

  /** The signing of every signed zone, or of the zone {@code zoneId} alone when not null. */
  private static Map<Name, ZoneSigning> readSigning(Connection c, Long zoneId) throws SQLException {
    Map<Name, ZoneSigning> out = new java.util.HashMap<>();
    Map<Long, Name> origins = new java.util.HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT z.id, z.origin, s.nsec3, s.zsk_lifetime_seconds,"
        + " s.propagation_delay_seconds FROM zone_signing s JOIN zones z ON z.id = s.zone_id"
        + (zoneId == null ? "" : " WHERE z.id = ?"))) {
      if (zoneId != null) {
        ps.setLong(1, zoneId);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Name origin = name(rs.getString(2));
          origins.put(rs.getLong(1), origin);
          out.put(origin, new ZoneSigning(origin, rs.getBoolean(3), Duration.ofSeconds(rs.getLong(4)),
              Duration.ofSeconds(rs.getLong(5)), List.of()));
        }
      }
    }
    Map<Name, List<SigningKey>> keys = new java.util.HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT zone_id, role, algorithm, state, state_since,"
        + " created_at, public_key, private_key FROM zone_signing_keys"
        + (zoneId == null ? "" : " WHERE zone_id = ?") + " ORDER BY zone_id, seq")) {
      if (zoneId != null) {
        ps.setLong(1, zoneId);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Name origin = origins.get(rs.getLong(1));
          int number = rs.getInt(3);
          SigningAlgorithm algorithm = SigningAlgorithm.byNumber(number).orElseThrow(
              () -> new StoreException("zone " + origin + " has a key of unknown algorithm " + number));
          keys.computeIfAbsent(origin, o -> new ArrayList<>()).add(new SigningKey(KeyRole.valueOf(rs.getString(2)),
              algorithm, Base64.getDecoder().decode(rs.getString(7)), Base64.getDecoder().decode(rs.getString(8)),
              KeyState.valueOf(rs.getString(4)), rs.getObject(5, OffsetDateTime.class).toInstant(),
              rs.getObject(6, OffsetDateTime.class).toInstant()));
        }
      }
    }
    keys.forEach((origin, list) -> out.computeIfPresent(origin, (o, s) -> s.withKeys(list)));
    return Map.copyOf(out);
  }

  /**
   * Refuses the commit when the zone's signing is not {@code expected}: read under the zone's row
   * lock, which orders it against every other write of the zone.
   */
  private static void checkSigning(Connection c, Name origin, Optional<ZoneSigning> expected) throws SQLException {
    Optional<long[]> zone = lockZone(c, origin);
    if (zone.isEmpty()) {
      throw new StoreConflictException("zone " + origin + " does not exist");
    }
    if (!expected.equals(Optional.ofNullable(readSigning(c, zone.get()[0]).get(origin)))) {
      throw new StoreConflictException("zone " + origin + " has other keys than expected: changed by another writer");
    }
  }

  /** Replaces the zone's signing rows with {@code signing}'s, or deletes them when it is empty. */
  private void applySigning(Connection c, Name origin, Optional<ZoneSigning> signing) throws SQLException {
    Optional<long[]> zone = lockZone(c, origin);
    if (zone.isEmpty()) {
      throw new StoreConflictException("zone " + origin + " does not exist");
    }
    long zoneId = zone.get()[0];
    long version = 0;
    try (PreparedStatement ps = c.prepareStatement("SELECT keys_version FROM zone_signing WHERE zone_id = ?")) {
      ps.setLong(1, zoneId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          version = rs.getLong(1);
        }
      }
    }
    deleteSigning(c, zoneId);
    if (signing.isEmpty()) {
      return;
    }
    ZoneSigning settings = signing.get();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO zone_signing (zone_id, nsec3, zsk_lifetime_seconds,"
        + " propagation_delay_seconds, keys_version) VALUES (?, ?, ?, ?, ?)")) {
      ps.setLong(1, zoneId);
      ps.setBoolean(2, settings.nsec3());
      ps.setLong(3, settings.zskLifetime().toSeconds());
      ps.setLong(4, settings.propagationDelay().toSeconds());
      ps.setLong(5, version + 1);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO zone_signing_keys (zone_id, seq, role, algorithm,"
        + " state, state_since, created_at, public_key, private_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int seq = 0;
      for (SigningKey k : settings.keys()) {
        ps.setLong(1, zoneId);
        ps.setInt(2, seq++);
        ps.setString(3, k.role().name());
        ps.setInt(4, k.algorithm().number());
        ps.setString(5, k.state().name());
        ps.setObject(6, k.since().atOffset(java.time.ZoneOffset.UTC));
        ps.setObject(7, k.created().atOffset(java.time.ZoneOffset.UTC));
        ps.setString(8, k.publicKeyBase64());
        ps.setString(9, Base64.getEncoder().encodeToString(k.privateKey()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static boolean deleteSigning(Connection c, long zoneId) throws SQLException {
    try (PreparedStatement keys = c.prepareStatement("DELETE FROM zone_signing_keys WHERE zone_id = ?");
        PreparedStatement signing = c.prepareStatement("DELETE FROM zone_signing WHERE zone_id = ?")) {
      keys.setLong(1, zoneId);
      keys.executeUpdate();
      signing.setLong(1, zoneId);
      return signing.executeUpdate() > 0;
    }
  }

  private static void addSettings(PreparedStatement ins, long zoneId, String kind, List<String> values)
      throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ins.setLong(1, zoneId);
      ins.setString(2, kind);
      ins.setInt(3, i);
      ins.setString(4, values.get(i));
      ins.addBatch();
    }
  }

  @Override
  public List<ViewOverlay> viewOverlays() {
    return read(c -> {
      Map<String, Map<Name, List<Record>>> byView = new java.util.LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT view_name, zone, owner, rtype, rclass, ttl, rdata FROM view_records ORDER BY view_name, zone_key, id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Record r = new RecordText(rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getLong(6), rs.getString(7))
              .toRecord();
          byView.computeIfAbsent(rs.getString(1), v -> new java.util.LinkedHashMap<>())
              .computeIfAbsent(name(rs.getString(2)), z -> new ArrayList<>()).add(r);
        }
      }
      List<ViewOverlay> out = new ArrayList<>();
      byView.forEach((view, zones) -> zones.forEach((zone, records) -> out.add(new ViewOverlay(zone, view, records))));
      return out;
    });
  }

  /**
   * The count and the sum of the ids of the view records. A write replaces a view's records of a
   * zone (delete, then insert with new ids): it changes the count, or, when it leaves as many, the
   * sum, because the ids it inserts are drawn after those of every row it deleted (which were
   * committed before it read them), so each is larger. One aggregate over an index, no records read.
   */
  @Override
  public ViewOverlaysVersion viewOverlaysVersion() {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(id), 0) FROM view_records");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new ViewOverlaysVersion(rs.getLong(1), rs.getLong(2));
      }
    });
  }

  @Override
  public void putViewOverlay(ViewOverlay overlay) {
    String zoneKey = overlay.zone().toString().toLowerCase(java.util.Locale.ROOT);
    write(c -> {
      try (PreparedStatement del = c.prepareStatement("DELETE FROM view_records WHERE view_name = ? AND zone_key = ?");
          PreparedStatement ins = c.prepareStatement("INSERT INTO view_records"
              + " (zone, zone_key, view_name, owner, rtype, rclass, ttl, rdata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        del.setString(1, overlay.view());
        del.setString(2, zoneKey);
        del.executeUpdate();
        for (Record r : overlay.records()) {
          RecordText t = RecordText.of(r);
          ins.setString(1, overlay.zone().toString());
          ins.setString(2, zoneKey);
          ins.setString(3, overlay.view());
          ins.setString(4, t.owner());
          ins.setInt(5, t.type());
          ins.setInt(6, t.dclass());
          ins.setLong(7, t.ttl());
          ins.setString(8, t.rdata());
          ins.addBatch();
        }
        if (!overlay.records().isEmpty()) {
          ins.executeBatch();
        }
      }
      return null;
    });
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs work in one transaction that is rolled back: it only reads. */
  private <T> T read(Work<T> work) {
    return transaction(work, false, "zone store read failed: ");
  }

  /** Runs work in one transaction: commit when it returns, roll back when it throws anything. */
  private <T> T write(Work<T> work) {
    return transaction(work, true, "");
  }

  /**
   * When the work fails because its connection's database is gone (closed by a failure of an
   * earlier transaction whose own rollback still worked: H2 closes its database from a background
   * writer), nothing of it was written, so it runs once more on a connection opened afresh.
   */
  private <T> T transaction(Work<T> work, boolean commit, String failure) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        boolean committing = false;
        try {
          T result = work.run(c);
          committing = commit;
          if (commit) {
            c.commit();
          } else {
            c.rollback();
          }
          return result;
        } catch (SQLException | RuntimeException e) {
          boolean lost = rollbackOrDrop(c);
          if (lost && !committing && attempt == 1 && e instanceof SQLException) {
            continue;
          }
          throw e;
        }
      } catch (SQLException e) {
        if (lostToAnotherWriter(e)) {
          throw new StoreConflictException(failure + "another writer got there first (" + e.getMessage() + ")");
        }
        throw new StoreException(failure + reason(e), e);
      }
    }
  }

  /**
   * A failure that says another transaction changed the same rows first, so this one was rolled
   * back whole: the same zone created at once by two namud sharing the store (unique violation,
   * SQLSTATE 23505), or, in PostgreSQL, a deadlock between two edits of the same zones (40P01) or a
   * serialization failure (40001). Like a serial that moved on, it is a conflict: read and retry.
   */
  private static boolean lostToAnotherWriter(SQLException e) {
    String state = e.getSQLState();
    return "23505".equals(state) || "40001".equals(state) || "40P01".equals(state);
  }

  /**
   * Rolls back after a failure; a connection that cannot even do that has lost its database (H2
   * closes its database for good when a write to its file fails, on a full disk say), and so has
   * every other connection of the pool, which would hand them out until a restart. They are evicted
   * (this one as it is returned), so the next use opens the database afresh: edits work again once
   * the disk has room, without a restart. True when the connection was lost.
   */
  private boolean rollbackOrDrop(Connection c) {
    try {
      c.rollback();
      if (c.isValid(1)) {
        return false;
      }
    } catch (SQLException e) {
      // lost: below
    }
    log.warn("zone store connection lost; the database is opened again at its next use");
    dataSource.getHikariPoolMXBean().softEvictConnections();
    return true;
  }

  /**
   * A failure in the words of its cause: an I/O error below the database (a full disk) as the
   * operating system says it ("no space left on device"), not the database's wrapping of it.
   */
  static String reason(SQLException e) {
    return ioCause(e, 0).map(io -> {
      String m = io.getMessage();
      return Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }).orElse(e.getMessage());
  }

  /** The I/O error under a failure, through causes and (for a batch) the next exceptions. */
  private static Optional<IOException> ioCause(Throwable e, int depth) {
    for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof IOException io && io.getMessage() != null && !io.getMessage().isEmpty()) {
        return Optional.of(io);
      }
      if (t instanceof SQLException sql && sql.getNextException() != null) {
        Optional<IOException> next = ioCause(sql.getNextException(), depth + 1);
        if (next.isPresent()) {
          return next;
        }
      }
    }
    return Optional.empty();
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private static String key(Name name) {
    return name.toString().toLowerCase(Locale.ROOT);
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new StoreException("stored name cannot be parsed: " + text, e);
    }
  }

  private static String stringOf(ResultSet rs, int column) {
    try {
      return rs.getString(column);
    } catch (SQLException e) {
      throw new StoreException("zone store read failed: " + e.getMessage(), e);
    }
  }

  private static long generatedId(PreparedStatement ps) throws SQLException {
    try (ResultSet keys = ps.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new SQLException("database returned no generated id");
      }
      return keys.getLong(1);
    }
  }

  private static void setOptional(PreparedStatement ps, int index, OptionalLong value) throws SQLException {
    if (value.isPresent()) {
      ps.setLong(index, value.getAsLong());
    } else {
      ps.setNull(index, Types.BIGINT);
    }
  }

  private static OptionalLong optional(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
