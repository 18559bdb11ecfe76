package dev.namu.server.peers;

import java.net.InetSocketAddress;

/** A DNS server answering on one loopback address (UDP and TCP on the same port) until closed. */
public interface PeerServer extends AutoCloseable {

    /** Short name used in reports: "namud", "nsd", "knot". */
    String name();

    /** Where it answers, UDP and TCP. */
    InetSocketAddress address();

    /** Stops the server; never throws. */
    @Override
    void close();
}
