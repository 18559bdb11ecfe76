/** The query log: one JSON line per reply, written off the event loops by one thread. */
package dev.namu.server.querylog;
