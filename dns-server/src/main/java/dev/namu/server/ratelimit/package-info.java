/**
 * Response rate limiting for UDP replies (RRL, as BIND's and NSD's): a bounded table of token
 * buckets by client prefix and kind of answer, consulted once for each UDP reply by the
 * pipeline's {@code QueryProcessor}.
 */
package dev.namu.server.ratelimit;
