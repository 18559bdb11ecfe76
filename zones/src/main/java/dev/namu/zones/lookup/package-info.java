/** Authoritative answers from served zones (RFC 1034 4.3.2 and its updates). */
package dev.namu.zones.lookup;
