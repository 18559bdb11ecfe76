/** Bailiwick scrubbing of upstream replies before anything reaches the cache (RFC 5452, RFC 2181 5.4.1). */
package dev.namu.resolver.scrub;
