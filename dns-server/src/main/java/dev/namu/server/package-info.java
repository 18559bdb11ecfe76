/** The {@code namud} program: command line, start-up and graceful shutdown of the DNS server. */
package dev.namu.server;
