package dev.namu.resolver.validate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Trust anchors: the root's keys built in, or DS/DNSKEY records read from a file. */
public final class TrustAnchors {
  /**
   * The DS records of the root's key-signing keys as IANA publishes them
   * (https://data.iana.org/root-anchors/root-anchors.xml): KSK-2017 (key tag 20326) and
   * KSK-2024 (key tag 38696), both valid while the 2024 key rolls in.
   */
  private static final String ROOT = """
      . 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
      . 172800 IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
      """;

  private TrustAnchors() {}

  /** The root's built-in anchors. */
  public static List<Record> root() {
    try {
      return parse(new java.io.ByteArrayInputStream(ROOT.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
          "built-in root anchors");
    } catch (IOException e) {
      throw new IllegalStateException("built-in root anchors do not parse", e);
    }
  }

  /**
   * The DS and DNSKEY records of a file in zone-file form (Unbound's trust-anchor-file,
   * BIND's DS/DNSKEY lines); other records are refused, as is a file with none.
   *
   * @throws IOException with one line saying which file and why
   */
  public static List<Record> read(Path file) throws IOException {
    String text;
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // a FIFO waits for a writer and a device may never end: the start would hang without a word
      throw new IOException(file + ": not a regular file (a device or a FIFO); a trust anchor file must be a regular file");
    }
    try {
      text = Files.readString(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException(file + ": no such file");
    } catch (java.nio.file.AccessDeniedException e) {
      throw new IOException(file + ": permission denied");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IOException(file + ": not a text file");
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** The DS and DNSKEY records of {@code text} (zone-file lines), as {@link #read(Path)}. */
  public static List<Record> parse(String text, String source) throws IOException {
    return parse(new java.io.ByteArrayInputStream(
        numericAlgorithms(text).getBytes(java.nio.charset.StandardCharsets.UTF_8)), source);
  }

  private static final java.util.regex.Pattern MNEMONIC = java.util.regex.Pattern.compile(
      "(\\b(?:DS\\s+\\d+|RRSIG\\s+\\S+|DNSKEY\\s+\\d+\\s+\\d+)\\s+)([A-Za-z][A-Za-z0-9-]*)(?=\\s)");

  /**
   * {@code text} with the algorithm of DS, RRSIG and DNSKEY records written as a number: the
   * presentation format allows the mnemonic (RFC 4034 2.2, 3.2, 5.3; "RSASHA1"), which dnsjava's
   * parser does not read.
   */
  public static String numericAlgorithms(String text) {
    java.util.regex.Matcher m = MNEMONIC.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int alg = org.xbill.DNS.DNSSEC.Algorithm.value(m.group(2));
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
          m.group(1) + (alg < 0 ? m.group(2) : String.valueOf(alg))));
    }
    m.appendTail(out);
    return out.toString();
  }

  static List<Record> parse(InputStream in, String source) throws IOException {
    byte[] bytes = in.readAllBytes();
    List<Record> out = new ArrayList<>();
    try (Master m = new Master(new java.io.ByteArrayInputStream(bytes), Name.root, 3600)) {
      Record r;
      while ((r = m.nextRecord()) != null) {
        if (r.getType() != Type.DS && r.getType() != Type.DNSKEY) {
          throw new IOException(source + lineOf(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), r)
              + ": " + r.getName() + " " + Type.string(r.getType())
              + " is no trust anchor (DS or DNSKEY records only)");
        }
        out.add(r);
      }
    } catch (TextParseException e) {
      // dnsjava names a stream "<none>": the file's name goes in its place, before the line
      String why = e.getMessage() == null ? "unreadable" : e.getMessage();
      throw new IOException(why.startsWith("<none>:") ? source + why.substring("<none>".length())
          : source + ": " + why);
    }
    if (out.isEmpty()) {
      throw new IOException(source + ": no DS or DNSKEY record in it");
    }
    return List.copyOf(out);
  }

  /**
   * ":LINE" of the first line that holds {@code r}'s type as a word outside a comment, or nothing
   * (dnsjava's reader does not tell which line a record came from).
   */
  private static String lineOf(String text, Record r) {
    java.util.regex.Pattern type = java.util.regex.Pattern.compile(
        "(?i)(^|\\s)" + java.util.regex.Pattern.quote(Type.string(r.getType())) + "(\\s|$)");
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int semi = line.indexOf(';');
      if (type.matcher(semi < 0 ? line : line.substring(0, semi)).find()) {
        return ":" + (i + 1);
      }
    }
    return "";
  }
}
