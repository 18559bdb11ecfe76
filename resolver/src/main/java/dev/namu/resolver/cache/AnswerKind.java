package dev.namu.resolver.cache;

/** What a cached answer says about its question. */
public enum AnswerKind {
  /** Data (possibly through a CNAME chain). */
  POSITIVE,
  /** The name does not exist (RFC 2308 section 2.1); for RFC 8020 nothing below it exists either. */
  NXDOMAIN,
  /** The name exists but has no data of the type (RFC 2308 section 2.2). */
  NODATA,
  /** A final error rcode worth repeating (YXDOMAIN from DNAME overflow). */
  ERROR
}
