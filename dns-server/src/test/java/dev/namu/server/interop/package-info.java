/** Interop tests: the DNS clients users have (dig, kdig, nslookup) run as processes against namud. */
package dev.namu.server.interop;
