package dev.namu.server.ratelimit;

/**
 * What makes two replies "the same answer" for rate limiting, read from the reply's wire bytes as
 * NSD's and BIND's RRL classify them: a positive answer by its question (name and type); NXDOMAIN
 * and NODATA by the zone that denies (the owner of the SOA in the authority section), so random
 * names under one zone share one bucket; a referral by its delegation (the owner of the NS
 * records); every other rcode as one kind of error. Allocation-free, and read from a byte array
 * rather than a buffer: a buffer checks its bounds and reference count on every byte read, which
 * cost more than the rest of the limiter.
 */
final class ReplyKey {
  private static final int KIND_ANSWER = 1;
  private static final int KIND_NXDOMAIN = 2;
  private static final int KIND_NODATA = 3;
  private static final int KIND_REFERRAL = 4;
  private static final int KIND_ERROR = 5;
  private static final int HEADER = 12;
  private static final int MAX_POINTERS = 16;

  private ReplyKey() {}

  /** A hash of the reply's kind and the name (and type) it is about, or 0 when it has no header. */
  static long of(byte[] reply, long seed) {
    int end = reply.length;
    if (end < HEADER) {
      return 0;
    }
    int flags = u16(reply, 2);
    int rcode = flags & 0x0F;
    boolean aa = (flags & 0x0400) != 0;
    boolean tc = (flags & 0x0200) != 0;
    int ancount = u16(reply, 6);
    int nscount = u16(reply, 8);
    int qdcount = u16(reply, 4);
    if (rcode != 0 && rcode != 3 || qdcount != 1) {
      return mix(seed, KIND_ERROR, rcode);
    }
    int question = HEADER;
    int afterName = skipName(reply, question, end);
    if (afterName < 0 || afterName + 4 > end) {
      return mix(seed, KIND_ERROR, rcode);
    }
    int qtype = u16(reply, afterName);
    if (rcode == 0 && (ancount > 0 || tc)) {
      // a truncated reply may hold no records at all: it stands for the answer it cut short
      return mix(mix(seed, KIND_ANSWER, qtype), nameHash(reply, question, end), 0);
    }
    int kind = rcode == 3 ? KIND_NXDOMAIN : aa ? KIND_NODATA : KIND_REFERRAL;
    if (nscount == 0) {
      return mix(seed, kind, 0);
    }
    int pos = afterName + 4;
    for (int i = 0; i < ancount && pos >= 0; i++) {
      pos = skipRecord(reply, pos, end);
    }
    long owner = pos < 0 ? 0 : nameHash(reply, pos, end);
    return mix(mix(seed, kind, 0), owner, 0);
  }

  /** Where the record at {@code pos} ends, or -1 when it runs past the end. */
  private static int skipRecord(byte[] b, int pos, int end) {
    int p = skipName(b, pos, end);
    if (p < 0 || p + 10 > end) {
      return -1;
    }
    int next = p + 10 + u16(b, p + 8);
    return next > end ? -1 : next;
  }

  /** Where the name at {@code pos} ends (after its zero label or pointer), or -1. */
  private static int skipName(byte[] b, int pos, int end) {
    int p = pos;
    while (p < end) {
      int len = b[p] & 0xFF;
      if (len == 0) {
        return p + 1;
      }
      if ((len & 0xC0) == 0xC0) {
        return p + 2 <= end ? p + 2 : -1;
      }
      if (len > 63) {
        return -1;
      }
      p += 1 + len;
    }
    return -1;
  }

  /** A case-insensitive hash of the name at {@code pos}, following compression pointers. */
  private static long nameHash(byte[] b, int pos, int end) {
    long h = 1;
    int p = pos;
    int pointers = 0;
    while (p < end) {
      int len = b[p] & 0xFF;
      if (len == 0) {
        return h;
      }
      if ((len & 0xC0) == 0xC0) {
        if (p + 1 >= end || ++pointers > MAX_POINTERS) {
          return h;
        }
        p = (len & 0x3F) << 8 | b[p + 1] & 0xFF;
        continue;
      }
      h = 31 * h + len;
      int stop = Math.min(end, p + 1 + len);
      for (int i = p + 1; i < stop; i++) {
        int c = b[i] & 0xFF;
        h = 31 * h + (c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      p += 1 + len;
    }
    return h;
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
  }

  /** Folds two values into a hash (a multiply-xorshift step, as in SplitMix64). */
  static long mix(long h, long a, long b) {
    long x = (h ^ a) * 0x9E3779B97F4A7C15L;
    x = (x ^ (x >>> 31) ^ b) * 0xBF58476D1CE4E5B9L;
    return x ^ (x >>> 29);
  }
}
