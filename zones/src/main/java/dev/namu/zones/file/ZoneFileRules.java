package dev.namu.zones.file;

/**
 * What a zone text may make the parser do, and how much it may make: the budgets of one parse.
 *
 * <p>A zone file the operator put beside namud ({@code --zones}, {@code namuctl zone check}) may
 * {@code $INCLUDE} other files. Zone text an API client sends may not: namud would open files as
 * its own user for whoever holds the token. Both kinds are bounded as the parser expands them, so
 * a short text cannot make millions of records (a {@code $GENERATE 0-9999999} is 100 bytes).
 *
 * @param includes whether {@code $INCLUDE} is followed; when false it is refused where the parser
 *     meets it, however it is spelled
 * @param maxGenerateRecords most records one {@code $GENERATE} may make
 * @param maxRecords most records one parse may make, {@code $GENERATE}d and included ones counted
 */
public record ZoneFileRules(boolean includes, long maxGenerateRecords, long maxRecords) {

  /**
   * Bounds one {@code $GENERATE} of an operator's file: a /12 of PTRs (2^20), more than a LAN
   * needs, well under what would exhaust memory (namud holds a few million records in its default
   * heap). BIND bounds a {@code $GENERATE} only by its range syntax (numbers up to 2^31 - 1) and a
   * zone by its {@code max-records} option; NSD has no {@code $GENERATE} at all.
   */
  public static final long FILE_MAX_GENERATE_RECORDS = 1L << 20;

  /**
   * Bounds the records of one import through the API, as BIND's {@code max-records} bounds a zone
   * (CVE-2016-6170): every record is written to the store in one transaction while the server
   * answers queries on the same cores. Bigger zones are served from files ({@code --zones}).
   */
  public static final long IMPORT_MAX_RECORDS = 100_000;

  /** The reason an imported text's {@code $INCLUDE} is refused, as shown to the client. */
  public static final String INCLUDE_REFUSED =
      "$INCLUDE is not allowed in imported zone text: the server does not read files for an API client";

  /** Zone files of namud's operator: {@code $INCLUDE} followed; no bound but the file size on the total. */
  public static final ZoneFileRules FILES =
      new ZoneFileRules(true, FILE_MAX_GENERATE_RECORDS, Long.MAX_VALUE);

  /** Zone text from an API client (zone import): no {@code $INCLUDE}, at most {@link #IMPORT_MAX_RECORDS}. */
  public static final ZoneFileRules IMPORT =
      new ZoneFileRules(false, IMPORT_MAX_RECORDS, IMPORT_MAX_RECORDS);

  public ZoneFileRules {
    if (maxGenerateRecords < 1 || maxRecords < 1) {
      throw new IllegalArgumentException("record bounds must be positive");
    }
  }
}
