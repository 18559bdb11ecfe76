package dev.namu.zones.file;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.xbill.DNS.Tokenizer;

/**
 * Reads the current line number of a dnsjava {@link Tokenizer}.
 *
 * <p>dnsjava keeps the line only privately (it shows it in exception messages). We read the
 * field directly, which is cheap enough to do for every record of a million-record zone; if a
 * future dnsjava or a module setup forbids that, we fall back to parsing the line out of {@link
 * Tokenizer#exception(String)}, which is correct but slower.
 */
final class TokenizerLines {

  private static final VarHandle LINE = handle("line", int.class);

  private TokenizerLines() {}

  static int line(Tokenizer st) {
    if (LINE != null) {
      return (int) LINE.get(st);
    }
    return lineFromMessage(st.exception("").getMessage());
  }

  /** True when {@link #setLine} works (the field is reachable). */
  static boolean canSetLine() {
    return LINE != null;
  }

  /**
   * Sets the tokenizer's line counter, so that a tokenizer reading one part of a file counts
   * lines (and names them in its messages) as one reading the whole file would.
   */
  static void setLine(Tokenizer st, int line) {
    LINE.set(st, line);
  }

  /** The line out of a dnsjava message of the form {@code file:line: text}, or 0. */
  static int lineFromMessage(String message) {
    if (message == null) {
      return 0;
    }
    int firstColon = message.indexOf(':');
    if (firstColon < 0) {
      return 0;
    }
    int end = firstColon + 1;
    while (end < message.length() && Character.isDigit(message.charAt(end))) {
      end++;
    }
    if (end == firstColon + 1) {
      return 0;
    }
    try {
      return Integer.parseInt(message.substring(firstColon + 1, end));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The text of a dnsjava {@code file:line: text} message without its place. */
  static String textOf(String message) {
    if (message == null) {
      return "parse error";
    }
    int firstColon = message.indexOf(':');
    if (firstColon >= 0 && lineFromMessage(message) > 0) {
      int second = message.indexOf(": ", firstColon + 1);
      if (second >= 0) {
        return message.substring(second + 2);
      }
    }
    return message;
  }

  private static VarHandle handle(String field, Class<?> type) {
    try {
      return MethodHandles.privateLookupIn(Tokenizer.class, MethodHandles.lookup())
          .findVarHandle(Tokenizer.class, field, type);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
