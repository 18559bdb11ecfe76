/** Upstream transport: one query to one server over UDP or TCP, with RFC 5452 reply matching. */
package dev.namu.resolver.transport;
