package dev.namu.server.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Picks a loopback port that is free for both UDP and TCP at the moment of asking. Another process
 * may still take it before the peer binds it, so callers retry the start with a new port
 * when the peer fails to come up.
 */
public final class LoopbackPort {

    private static final int ATTEMPTS = 50;

    private LoopbackPort() {
    }

    /** A port free on 127.0.0.1 for TCP and UDP. */
    public static int pick() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        IOException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(loopback, 0));
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
                    return port;
                } catch (IOException udpTaken) {
                    last = udpTaken;
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw new UncheckedIOException("no free loopback port for UDP and TCP after " + ATTEMPTS + " tries", last);
    }
}
