package dev.namu.zones.file;

/**
 * Finds where one master-file entry ends, by dnsjava Tokenizer's rules: a line, or more lines
 * while a parenthesis is open (RFC 1035 5.1); quotes hide parentheses and semicolons; a
 * backslash escapes the next character; a semicolon starts a comment up to the end of the line;
 * CR LF is one line end. It also says whether the entry is plain enough for {@link
 * SimpleLineParser}. Mutable and reused: one scan at a time, results in the fields.
 */
final class EntryScan {

  /** True when the entry has something other than blanks and comments. */
  boolean hasContent;
  /** True when the entry is one line of printable ASCII without parentheses or backslashes. */
  boolean oneLine;
  /** Index of the entry's first character that is not a blank (valid when hasContent). */
  int first;
  /** End of the entry's first line, before its CR LF or LF. */
  int lineEnd;
  /** Index just after the entry (after its line end). */
  int next;
  /** Line ends inside and at the end of the entry. */
  int newlines;

  /**
   * Scans the entry that starts at {@code b[from]}, a line start. Returns false when the
   * Tokenizer would fail inside it (unterminated quote or parenthesis, a newline in quotes, a
   * close parenthesis without an open one, an escape at the end, a CR not followed by LF): the
   * caller then lets the Tokenizer read on from here.
   */
  boolean scan(byte[] b, int from, int end) {
    hasContent = false;
    oneLine = true;
    first = -1;
    lineEnd = -1;
    newlines = 0;
    int parens = 0;
    int i = from;
    while (true) {
      if (i >= end) {
        if (parens > 0) {
          return false;
        }
        if (lineEnd < 0) {
          lineEnd = end;
        }
        next = end;
        return true;
      }
      int c = b[i] & 0xFF;
      switch (c) {
        case ' ':
        case '\t':
          i++;
          break;
        case ';':
          while (i < end && b[i] != '\n' && b[i] != '\r') {
            i++;
          }
          break;
        case '\r':
          if (i + 1 >= end || b[i + 1] != '\n') {
            return false;
          }
          if (lineEnd < 0) {
            lineEnd = i;
          }
          i++;
          // fall through: CR LF is one line end
        case '\n':
          newlines++;
          if (lineEnd < 0) {
            lineEnd = i;
          }
          i++;
          if (parens == 0) {
            next = i;
            return true;
          }
          oneLine = false;
          break;
        case '(':
        case ')':
          content(i);
          oneLine = false;
          parens += c == '(' ? 1 : -1;
          if (parens < 0) {
            return false;
          }
          i++;
          break;
        case '\\':
          content(i);
          oneLine = false;
          if (i + 1 >= end || b[i + 1] == '\n' || b[i + 1] == '\r') {
            return false;
          }
          i += 2;
          break;
        case '"':
          content(i);
          i = quoted(b, i + 1, end);
          if (i < 0) {
            return false;
          }
          break;
        default:
          content(i);
          if (c < 0x20 || c >= 0x7F) {
            oneLine = false;
          }
          i++;
          break;
      }
    }
  }

  /** Skips a quoted string's body; returns the index after its closing quote, or -1. */
  private int quoted(byte[] b, int i, int end) {
    while (i < end) {
      int c = b[i] & 0xFF;
      if (c == '"') {
        return i + 1;
      }
      if (c == '\n' || c == '\r') {
        return -1;
      }
      if (c == '\\') {
        oneLine = false;
        if (i + 1 >= end || b[i + 1] == '\n' || b[i + 1] == '\r') {
          return -1;
        }
        i += 2;
        continue;
      }
      if ((c < 0x20 && c != '\t') || c >= 0x7F) {
        oneLine = false;
      }
      i++;
    }
    return -1;
  }

  private void content(int i) {
    if (!hasContent) {
      hasContent = true;
      first = i;
    }
  }
}
