/** RFC 2136 dynamic UPDATE authorized by TSIG (RFC 8945), applied through the zone editor; TSIG for signed queries too. */
package dev.namu.server.update;
