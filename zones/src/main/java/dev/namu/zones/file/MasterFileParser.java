package dev.namu.zones.file;

import dev.namu.zones.model.RdataLength;
import dev.namu.zones.model.ZoneProblem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Generator;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TTL;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * Reads RFC 1035 section 5 master files into records, with the file and line of each.
 *
 * <p>This is dnsjava's {@code Master} logic (same directive and field rules, same {@link
 * Tokenizer} and {@link Record#fromString} for the RDATA of every type dnsjava knows, RFC 3597
 * {@code \#} included) with two things {@code Master} cannot give: the line of every record, so
 * that validation problems can point at it, and the full path of an {@code $INCLUDE}d file in
 * its errors. After a bad record it skips to the end of that record and goes on, so one run
 * reports every bad line.
 *
 * <p>For speed on big zones the file is read into memory and cut into entries (a line, or the
 * lines a parenthesis holds together) by a byte scan that follows the Tokenizer's rules for
 * quotes, escapes, parentheses and comments. A plain one-line record is read by {@link
 * SimpleLineParser}; every other entry goes to the Tokenizer, one entry at a time with the line
 * counter set, so it is read exactly as before. Where the scan meets something the Tokenizer
 * would reject (an open quote or parenthesis, a stray close parenthesis, a bare carriage return),
 * the Tokenizer reads the rest of the file, as it always did.
 */
final class MasterFileParser {

  /** Receives what the parser finds. */
  interface Sink {
    void record(Record record, String file, int line);

    /** Returns false when the parser should stop (too many problems). */
    boolean problem(ZoneProblem problem);

    /** An {@code $ORIGIN} directive set the origin to {@code origin}. */
    default void origin(Name origin) {}
  }

  /** Where a directive or record is: the file as shown to the user, and the line. */
  private record Place(String file, int line) {}

  /** Bounds $INCLUDE nesting; a file including itself is also caught by the stack check. */
  static final int MAX_INCLUDE_DEPTH = 16;

  private static final byte[] LINE_END = {'\n'};

  private final Sink sink;
  private final ZoneFileRules rules;
  private final boolean fastPath;
  private final Deque<Path> includeStack = new ArrayDeque<>();
  private final SimpleLineParser simple = new SimpleLineParser();
  private long records;
  private boolean stopped;

  MasterFileParser(Sink sink, ZoneFileRules rules) {
    this(sink, rules, true);
  }

  /** With {@code fastPath} false, every entry goes through the Tokenizer (the reference reading). */
  MasterFileParser(Sink sink, ZoneFileRules rules, boolean fastPath) {
    this.sink = sink;
    this.rules = rules;
    this.fastPath = fastPath && TokenizerLines.canSetLine();
  }

  /** Parses {@code file} (shown in messages as {@code file.toString()}) with the given origin. */
  void parse(Path file, Name origin) {
    parseFile(file, origin, -1, null, 0);
  }

  /**
   * Parses zone text that is no file (an import), shown in messages as {@code shown}; a relative
   * {@code $INCLUDE}, when the rules allow one, is relative to the working directory.
   */
  void parse(String shown, byte[] text, Name origin) {
    parseBytes(null, shown, text, origin, -1, 0);
  }

  private void parseFile(Path file, Name origin, long defaultTtl, Place from, int depth) {
    String shown = file.toString();
    Path real = file.toAbsolutePath().normalize();
    if (includeStack.contains(real)) {
      report(from, "$INCLUDE of " + shown + " would include it in itself");
      return;
    }
    byte[] bytes;
    try {
      bytes = ZoneFileBytes.read(file);
    } catch (IOException | SecurityException e) {
      report(from, shown, cannotRead(from, shown) + e.getMessage());
      return;
    }
    includeStack.push(real);
    try {
      parseBytes(file, shown, bytes, origin, defaultTtl, depth);
    } finally {
      includeStack.pop();
    }
  }

  private void parseBytes(Path file, String shown, byte[] bytes, Name origin, long defaultTtl,
      int depth) {
    int start = hasByteOrderMark(bytes) ? 3 : 0;
    if (fastPath) {
      WindowInputStream window = new WindowInputStream();
      try (Tokenizer st = new Tokenizer(window)) {
        new FileState(file, shown, st, origin, defaultTtl, depth).runBytes(bytes, start, window);
      }
    } else {
      InputStream in = new ByteArrayInputStream(bytes, start, bytes.length - start);
      try (Tokenizer st = new Tokenizer(in)) {
        new FileState(file, shown, st, origin, defaultTtl, depth).run();
      }
    }
  }

  /** Editors on some systems start UTF-8 files with a byte order mark; it is not part of the zone. */
  private static boolean hasByteOrderMark(byte[] b) {
    return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
  }

  private static String cannotRead(Place from, String shown) {
    return from == null ? "cannot read zone file: " : "cannot read $INCLUDE file " + shown + ": ";
  }

  private void report(Place from, String fallbackFile, String message) {
    if (from != null) {
      report(from, message);
    } else if (!sink.problem(new ZoneProblem(fallbackFile, 0, message))) {
      stopped = true;
    }
  }

  private void report(Place at, String message) {
    if (!sink.problem(new ZoneProblem(at.file(), at.line(), message))) {
      stopped = true;
    }
  }

  /** The parse state of one file: origin, default TTL and the last owner are per file (RFC 1035 5.1). */
  private final class FileState {
    /** The file read, or null for zone text that is no file (an import). */
    private final Path file;
    private final String shown;
    private final Tokenizer st;
    private Name origin;
    private long defaultTtl;
    private final int depth;
    private Name lastName;
    private long lastTtl = -1;
    private int lastClass = DClass.IN;
    private int currentType;
    private int currentClass;
    private long currentTtl;
    private boolean needSoaTtl;
    /** Entries read without error; with the last problem's place, tells a stuck tokenizer. */
    private long entriesRead;
    private long entriesAtLastProblem = -1;
    private int lastProblemLine = -1;
    private String lastProblemText;

    FileState(Path file, String shown, Tokenizer st, Name origin, long defaultTtl, int depth) {
      this.file = file;
      this.shown = shown;
      this.st = st;
      this.origin = origin;
      this.defaultTtl = defaultTtl;
      this.depth = depth;
    }

    /**
     * Reads the file's bytes entry by entry (see the class comment). {@code window} is the
     * stream under {@link #st}, moved to each entry the Tokenizer reads.
     */
    void runBytes(byte[] b, int start, WindowInputStream window) {
      int pos = start;
      int line = 1;
      int end = b.length;
      EntryScan scan = new EntryScan();
      while (pos < end && !stopped) {
        if (!scan.scan(b, pos, end)) {
          // the Tokenizer would fail in this entry: it reads from here to the end, as before
          startTokenizer(window, b, pos, end, line);
          run();
          return;
        }
        if (scan.hasContent) {
          Record record = null;
          if (scan.oneLine && b[scan.first] != '$') {
            record = simple.parse(b, pos, scan.lineEnd,
                new SimpleLineParser.State(origin, defaultTtl, lastName, lastTtl, lastClass));
          }
          if (record != null) {
            lastName = record.getName();
            lastTtl = record.getTTL();
            lastClass = record.getDClass();
            emit(record, line);
          } else {
            startTokenizer(window, b, pos, scan.next, line);
            if (!run()) {
              return;
            }
          }
        }
        line += scan.newlines;
        pos = scan.next;
      }
    }

    /**
     * Points the Tokenizer at {@code b[from, to)}, starting at {@code line}, in the state it
     * would have after reading the file up to there: its last token an end of line (error
     * recovery ungets and re-reads that token, which decides where a problem is placed).
     */
    private void startTokenizer(WindowInputStream window, byte[] b, int from, int to, int line) {
      if (from > 0) {
        window.window(LINE_END, 0, 1);
        try {
          st.get();
        } catch (IOException e) {
          throw new IllegalStateException("reading a line end from memory cannot fail", e);
        }
      }
      window.window(b, from, to);
      TokenizerLines.setLine(st, line);
    }

    /**
     * Reads entries until the end of the input; returns false when it stopped before (too many
     * problems, a read error, or a bad entry it could not skip).
     */
    boolean run() {
      while (!stopped) {
        int line = 0;
        try {
          Tokenizer.Token token = st.get(true, false);
          line = TokenizerLines.line(st);
          if (!entry(token, line)) {
            return true;
          }
          entriesRead++;
        } catch (TextParseException e) {
          if (!recover(e.getMessage(), line)) {
            return false;
          }
        } catch (IOException e) {
          report(new Place(shown, line), "cannot read zone file: " + e.getMessage());
          return false;
        } catch (RuntimeException e) {
          // dnsjava signals some bad input (relative names, bad lengths) with unchecked exceptions
          if (!recover(String.valueOf(e.getMessage()), line)) {
            return false;
          }
        }
      }
      return false;
    }

    /** Handles one line entry; returns false at the end of the file. */
    private boolean entry(Tokenizer.Token token, int line) throws IOException {
      Name name;
      if (token.type == Tokenizer.WHITESPACE) {
        Tokenizer.Token next = st.get();
        if (next.type == Tokenizer.EOL) {
          return true;
        }
        if (next.type == Tokenizer.EOF) {
          return false;
        }
        st.unget();
        if (lastName == null) {
          throw st.exception("no owner name: the first record of a file must name its owner");
        }
        name = lastName;
      } else if (token.type == Tokenizer.EOL) {
        return true;
      } else if (token.type == Tokenizer.EOF) {
        return false;
      } else if (token.type != Tokenizer.IDENTIFIER || token.value.isEmpty()) {
        throw st.exception("expected an owner name or a $ directive at the start of the line");
      } else if (token.value.charAt(0) == '$') {
        directive(token.value, line);
        return true;
      } else {
        name = parseName(token.value);
        if (lastName != null && name.equals(lastName)) {
          name = lastName; // share one Name object per owner: a big zone has many records per name
        }
      }
      parseTtlClassAndType();
      Record record = Record.fromString(name, currentType, currentClass, currentTtl, st, origin);
      Optional<String> tooLong = RdataLength.problem(record);
      if (tooLong.isPresent()) {
        throw st.exception(tooLong.get());
      }
      if (needSoaTtl) {
        // No $TTL and no TTL on the SOA: use its MINIMUM as the default, as BIND does
        // (RFC 2308 section 4 made $TTL the way to say it).
        SOARecord soa = (SOARecord) record;
        long ttl = soa.getMinimum();
        record = new SOARecord(soa.getName(), soa.getDClass(), ttl, soa.getHost(), soa.getAdmin(),
            soa.getSerial(), soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum());
        defaultTtl = ttl;
        needSoaTtl = false;
      }
      lastName = record.getName();
      lastTtl = record.getTTL();
      lastClass = record.getDClass();
      emit(record, line);
      return true;
    }

    private void directive(String word, int line) throws IOException {
      if (word.equalsIgnoreCase("$ORIGIN")) {
        origin = st.getName(Name.root);
        st.getEOL();
        sink.origin(origin);
      } else if (word.equalsIgnoreCase("$TTL")) {
        defaultTtl = st.getTTL();
        st.getEOL();
      } else if (word.equalsIgnoreCase("$INCLUDE")) {
        include(line);
      } else if (word.equalsIgnoreCase("$GENERATE")) {
        generate(line);
      } else {
        throw st.exception("unknown directive " + word);
      }
    }

    /** {@code $INCLUDE file [origin]}: a relative file is relative to this file's directory. */
    private void include(int line) throws IOException {
      if (!rules.includes()) {
        // refused before its file name is even read: text from an API client never opens a file
        throw st.exception(ZoneFileRules.INCLUDE_REFUSED);
      }
      String target = st.getString();
      Name includeOrigin = origin;
      Tokenizer.Token next = st.get();
      if (next.isString()) {
        includeOrigin = parseName(next.value);
        st.getEOL();
      } else if (!next.isEOL()) {
        throw st.exception("unexpected text after $INCLUDE file name");
      }
      if (depth + 1 > MAX_INCLUDE_DEPTH) {
        throw st.exception("$INCLUDE nested more than " + MAX_INCLUDE_DEPTH + " deep");
      }
      Path included = Path.of(target);
      if (!included.isAbsolute() && file != null) {
        Path dir = file.getParent();
        included = dir == null ? included : dir.resolve(included);
      }
      // RFC 1035 5.1: the origin and the TTL of the including file are unchanged afterwards.
      parseFile(included, includeOrigin, defaultTtl, new Place(shown, line), depth + 1);
    }

    /** BIND's {@code $GENERATE range lhs [ttl] [class] type rhs}, expanded here. */
    private void generate(int line) throws IOException {
      String range = st.getIdentifier();
      int dash = range.indexOf('-');
      if (dash < 0) {
        throw st.exception("invalid $GENERATE range " + range);
      }
      int slash = range.indexOf('/', dash);
      long start = parseUInt32(range.substring(0, dash));
      long end = parseUInt32(slash < 0 ? range.substring(dash + 1) : range.substring(dash + 1, slash));
      long step = slash < 0 ? 1 : parseUInt32(range.substring(slash + 1));
      if (start < 0 || end < 0 || start > end || step <= 0) {
        throw st.exception("invalid $GENERATE range " + range);
      }
      // Decided before expanding: the range alone says how many records it would make.
      long count = (end - start) / step + 1;
      if (count > rules.maxGenerateRecords()) {
        throw st.exception("$GENERATE range " + range + " would make " + count
            + " records; one $GENERATE may make at most " + rules.maxGenerateRecords());
      }
      if (count > rules.maxRecords() - records) {
        throw st.exception("$GENERATE range " + range + " would make " + count + " records, more than "
            + rules.maxRecords() + " in all, the most one zone import may hold");
      }
      String lhs = st.getIdentifier();
      parseTtlClassAndType();
      if (!Generator.supportedType(currentType)) {
        throw st.exception("$GENERATE does not support " + Type.string(currentType) + " records");
      }
      String rhs = st.getIdentifier();
      st.getEOL();
      Generator generator = new Generator(start, end, step, lhs, currentType, currentClass,
          currentTtl, rhs, origin);
      Record record;
      while (!stopped && (record = generator.nextRecord()) != null) {
        emit(record, line);
        lastName = record.getName();
      }
    }

    /** Hands a record to the sink, within the rules' bound on the records of one parse. */
    private void emit(Record record, int line) {
      if (records == rules.maxRecords()) {
        report(new Place(shown, line), "more than " + rules.maxRecords()
            + " records, the most one zone import may hold; serve a bigger zone from a file (--zones)");
        stopped = true;
        return;
      }
      records++;
      sink.record(record, shown, line);
    }

    private long parseUInt32(String s) {
      if (s.isEmpty() || s.length() > 10) {
        return -1;
      }
      for (int i = 0; i < s.length(); i++) {
        if (!Character.isDigit(s.charAt(i))) {
          return -1;
        }
      }
      long v = Long.parseLong(s);
      return v > 0xFFFFFFFFL ? -1 : v;
    }

    private Name parseName(String text) throws TextParseException {
      try {
        return Name.fromString(text, origin);
      } catch (TextParseException e) {
        throw st.exception("bad name " + text + ": " + e.getMessage());
      }
    }

    /** RFC 1035 5.1: {@code [TTL] [class] type} or {@code [class] [TTL] type}. */
    private void parseTtlClassAndType() throws IOException {
      needSoaTtl = false; // a bad SOA line before must not make this record the SOA
      boolean seenClass = false;
      String s = st.getString();
      if ((currentClass = DClass.value(s)) >= 0) {
        s = st.getString();
        seenClass = true;
      }
      currentTtl = -1;
      try {
        currentTtl = TTL.parseTTL(s);
        s = st.getString();
      } catch (NumberFormatException e) {
        if (defaultTtl >= 0) {
          currentTtl = defaultTtl;
        } else if (lastTtl >= 0) {
          currentTtl = lastTtl;
        }
      }
      if (!seenClass) {
        if ((currentClass = DClass.value(s)) >= 0) {
          s = st.getString();
        } else {
          currentClass = lastClass;
        }
      }
      if ((currentType = Type.value(s)) < 0) {
        throw st.exception("unknown record type '" + s + "'");
      }
      if (currentTtl < 0) {
        if (currentType != Type.SOA) {
          throw st.exception("no TTL: give one on the record or with $TTL");
        }
        needSoaTtl = true;
        currentTtl = 0;
      }
    }

    /**
     * Reports a bad entry and skips the rest of it. Returns false when the file cannot be read
     * further (the tokenizer itself is stuck, or too many problems).
     */
    private boolean recover(String dnsjavaMessage, int entryLine) {
      int line = TokenizerLines.lineFromMessage(dnsjavaMessage);
      String text = TokenizerLines.textOf(dnsjavaMessage);
      boolean reported = false;
      try {
        st.unget(); // look at the last token read: was the end of the line already consumed?
        Tokenizer.Token last = st.get();
        if (last.type == Tokenizer.EOL && line > entryLine) {
          line--; // dnsjava counts the newline it just read; the problem is on the line before
        }
        int at = line > 0 ? line : entryLine;
        if (entriesRead == entriesAtLastProblem && at == lastProblemLine
            && text.equals(lastProblemText)) {
          // The same problem at the same place with nothing read in between: the tokenizer is
          // stuck (an open quote at the end of the file keeps it quoting). Said once is enough.
          return false;
        }
        entriesAtLastProblem = entriesRead;
        lastProblemLine = at;
        lastProblemText = text;
        report(new Place(shown, at), text);
        reported = true;
        if (stopped) {
          return false;
        }
        while (!last.isEOL()) {
          last = st.get();
        }
        return last.type != Tokenizer.EOF;
      } catch (IOException | RuntimeException e) {
        if (!reported) {
          report(new Place(shown, line > 0 ? line : entryLine), text);
        }
        return false;
      }
    }
  }
}
