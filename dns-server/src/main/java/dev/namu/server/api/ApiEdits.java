package dev.namu.server.api;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * The zone edits asked of the admin API (creating, deleting, importing a zone; adding, replacing,
 * deleting records; batches), counted by result as the router answers them. Reading a zone is not
 * an edit; a request refused before it reaches the router (no token, too big) is not counted.
 */
public final class ApiEdits {

  /** How an edit ended, from its HTTP status. */
  public enum Result {
    /** Applied (2xx), or nothing to change. */
    OK,
    /** Bad input, no such zone or record, records that break the zone's rules (other 4xx). */
    REJECTED,
    /** At odds with the zone as it is (409: it exists, a CNAME conflict, a zone from a file; 412). */
    CONFLICT,
    /** A failure of namud or its store (5xx). */
    ERROR;

    /** The label value. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Result of(int status) {
      if (status < 400) {
        return OK;
      }
      if (status == 409 || status == 412) {
        return CONFLICT;
      }
      return status < 500 ? REJECTED : ERROR;
    }
  }

  private final LongAdder[] counts = new LongAdder[Result.values().length];

  public ApiEdits() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  void count(int status) {
    counts[Result.of(status).ordinal()].increment();
  }

  /** Edits that ended so. */
  public long count(Result result) {
    return counts[result.ordinal()].sum();
  }
}
