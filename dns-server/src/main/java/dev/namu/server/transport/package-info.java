/** Netty UDP and TCP listeners that carry DNS messages to and from the query pipeline. */
package dev.namu.server.transport;
