package dev.namu.zones.file;

import dev.namu.zones.model.RecordLocator;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Loads one RFC 1035 master file into a validated {@link ZoneSnapshot}. Never throws for bad
 * input: every syntax and validation problem comes back in the {@link ZoneLoad} with its file and
 * line, and a zone with any problem is not returned (it must not be served).
 */
public final class ZoneFileLoader {

  private static final Logger log = LoggerFactory.getLogger(ZoneFileLoader.class);

  /** Bounds the problems reported for one file; past this the rest would only repeat. */
  public static final int MAX_PROBLEMS = 1000;

  public ZoneFileLoader() {}

  /**
   * Loads {@code file} as the zone {@code origin} ({@code $ORIGIN} starts as origin; a relative
   * origin is taken relative to the root), by the rules of an operator's files.
   */
  public ZoneLoad load(Path file, Name origin) {
    return load(file, origin, ZoneFileRules.FILES);
  }

  /** Loads {@code file} as the zone {@code origin} by {@code rules}. */
  public ZoneLoad load(Path file, Name origin, ZoneFileRules rules) {
    Objects.requireNonNull(file, "file");
    Name absoluteOrigin = absolute(Objects.requireNonNull(origin, "origin"));
    Collector collector = new Collector(file.toString());
    long start = System.nanoTime();
    new MasterFileParser(collector, Objects.requireNonNull(rules, "rules")).parse(file, absoluteOrigin);
    log.debug("{}: read in {} ms", file, (System.nanoTime() - start) / 1_000_000);
    return build(file.toString(), absoluteOrigin, collector);
  }

  /**
   * Loads zone text that is no file (an import) as the zone {@code origin} by {@code rules};
   * problems name {@code shown} as their file.
   */
  public ZoneLoad load(String shown, byte[] text, Name origin, ZoneFileRules rules) {
    Objects.requireNonNull(text, "text");
    Name absoluteOrigin = absolute(Objects.requireNonNull(origin, "origin"));
    Collector collector = new Collector(Objects.requireNonNull(shown, "shown"));
    new MasterFileParser(collector, Objects.requireNonNull(rules, "rules")).parse(shown, text, absoluteOrigin);
    return build(shown, absoluteOrigin, collector);
  }

  /**
   * The zone a text says it is for, read by the import rules: the owner of its SOA record when
   * that owner does not depend on where {@code $ORIGIN} starts (an absolute name, or one under an
   * {@code $ORIGIN} in the text), else the text's first absolute {@code $ORIGIN}; empty when it has
   * neither (the caller then takes the file's name).
   */
  public Optional<Name> declaredOrigin(byte[] text) {
    OriginFinder finder = new OriginFinder();
    new MasterFileParser(finder, ZoneFileRules.IMPORT)
        .parse("text", Objects.requireNonNull(text, "text"), OriginFinder.UNSET);
    return finder.origin();
  }

  private ZoneLoad build(String file, Name absoluteOrigin, Collector collector) {
    if (!collector.problems.isEmpty()) {
      return ZoneLoad.failed(collector.problems);
    }
    try {
      long parsed = System.nanoTime();
      ZoneSnapshot zone = ZoneSnapshot.build(absoluteOrigin, collector.records, collector::locate);
      log.debug("{}: {} records, snapshot built in {} ms", file, collector.records.size(),
          (System.nanoTime() - parsed) / 1_000_000);
      return ZoneLoad.loaded(zone);
    } catch (ZoneValidationException e) {
      // validation finds problems rule by rule; show them in file order, as an editor would
      List<ZoneProblem> sorted = new ArrayList<>(e.problems());
      sorted.sort(Comparator.comparing(ZoneProblem::file).thenComparingInt(ZoneProblem::line));
      return ZoneLoad.failed(sorted);
    }
  }

  private static Name absolute(Name origin) {
    if (origin.isAbsolute()) {
      return origin;
    }
    try {
      return Name.concatenate(origin, Name.root);
    } catch (org.xbill.DNS.NameTooLongException e) {
      throw new IllegalArgumentException("origin too long: " + origin, e);
    }
  }

  /** Watches a parse that starts at a placeholder origin for the origin the text sets itself. */
  private static final class OriginFinder implements MasterFileParser.Sink {
    /** Where $ORIGIN starts: a name no zone has (RFC 6761 6.4, .invalid), so relative names show. */
    static final Name UNSET = Name.fromConstantString("origin-unset.namu.invalid.");

    private Name soaOwner;
    private Name firstOrigin;

    @Override
    public void record(Record record, String file, int line) {
      if (soaOwner == null && record.getType() == Type.SOA) {
        soaOwner = record.getName();
      }
    }

    @Override
    public boolean problem(ZoneProblem problem) {
      return true; // the load that follows reports them
    }

    @Override
    public void origin(Name origin) {
      if (firstOrigin == null && !origin.subdomain(UNSET)) {
        firstOrigin = origin;
      }
    }

    Optional<Name> origin() {
      if (soaOwner != null && !soaOwner.subdomain(UNSET)) {
        return Optional.of(soaOwner);
      }
      return Optional.ofNullable(firstOrigin);
    }
  }

  /**
   * Keeps the records with their file and line in parallel arrays (no wrapper object per
   * record); the record-to-line index is built only if validation finds a problem.
   */
  private static final class Collector implements MasterFileParser.Sink, RecordLocator {
    private final String mainFile;
    private final List<Record> records = new ArrayList<>();
    private final List<ZoneProblem> problems = new ArrayList<>();
    private final List<String> files = new ArrayList<>();
    private int[] lines = new int[1024];
    private int[] fileIndex = new int[1024];
    private Map<Record, Integer> index;

    Collector(String mainFile) {
      this.mainFile = mainFile;
    }

    @Override
    public void record(Record record, String file, int line) {
      int i = records.size();
      if (i == lines.length) {
        lines = Arrays.copyOf(lines, i * 2);
        fileIndex = Arrays.copyOf(fileIndex, i * 2);
      }
      int f = files.isEmpty() ? -1 : files.size() - 1;
      if (f < 0 || !files.get(f).equals(file)) {
        f = files.indexOf(file);
        if (f < 0) {
          files.add(file);
          f = files.size() - 1;
        }
      }
      records.add(record);
      lines[i] = line;
      fileIndex[i] = f;
    }

    @Override
    public boolean problem(ZoneProblem problem) {
      if (problems.size() < MAX_PROBLEMS) {
        problems.add(problem);
        return true;
      }
      problems.add(new ZoneProblem(mainFile, 0,
          "too many problems; only the first " + MAX_PROBLEMS + " shown"));
      return false;
    }

    @Override
    public ZoneProblem problem(Record record, String message) {
      return locate(record, message);
    }

    ZoneProblem locate(Record record, String message) {
      if (record == null) {
        return new ZoneProblem(mainFile, 0, message);
      }
      if (index == null) {
        index = new IdentityHashMap<>(records.size() * 2);
        for (int i = 0; i < records.size(); i++) {
          index.putIfAbsent(records.get(i), i);
        }
      }
      Integer i = index.get(record);
      if (i == null) {
        return new ZoneProblem(mainFile, 0, message);
      }
      return new ZoneProblem(files.get(fileIndex[i]), lines[i], message);
    }
  }
}
