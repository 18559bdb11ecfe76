package dev.namu.server.peers;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import dev.namu.server.NamudServer;

/** namud itself, in this JVM, serving a {@link ServedZones} directory on 127.0.0.1 and an ephemeral port. */
public final class NamudPeer implements PeerServer {

    private final NamudServer server;
    private final InetSocketAddress address;

    private NamudPeer(NamudServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /** {@code namud --listen 127.0.0.1:0 --zones DIR}. */
    public static NamudPeer start(ServedZones zones) throws Exception {
        return start("--listen", "127.0.0.1:0", "--zones", zones.dir().toString());
    }

    /** namud with the given command-line flags; they must include one IPv4 loopback {@code --listen}. */
    public static NamudPeer start(String... args) throws Exception {
        // authoritative only: a peer never recurses (and so never queries the IANA roots)
        // and keeps its store to itself: one namud per data directory
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
        all.add("--no-recursion");
        // and its admin API on a free port, never the fixed default another run may hold
        if (!all.contains("--api") && !all.contains("--no-api")) {
            all.addAll(java.util.List.of("--api", "127.0.0.1:0"));
        }
        // nor metrics on the fixed default port
        if (!all.contains("--metrics") && !all.contains("--no-metrics")) {
            all.add("--no-metrics");
        }
        // no rate limiting, as the peers it is compared with run: a comparison asks thousands of
        // questions from one address
        if (!all.contains("--rrl-rate")) {
            all.addAll(java.util.List.of("--rrl-rate", "0"));
        }
        if (!all.contains("--data") && !all.contains("--store-url")) {
            all.addAll(java.util.List.of("--data", java.nio.file.Files.createTempDirectory("namud-data").toString()));
        }
        NamudServer server = NamudServer.start(all.toArray(String[]::new));
        InetSocketAddress address = server.boundAddresses().stream()
                .filter(a -> a.getAddress() instanceof Inet4Address && a.getAddress().isLoopbackAddress())
                .findFirst()
                .orElseThrow(() -> {
                    closeQuietly(server);
                    return new IllegalStateException("namud bound no IPv4 loopback address: " + server.boundAddresses());
                });
        return new NamudPeer(server, address);
    }

    @Override
    public String name() {
        return "namud";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        closeQuietly(server);
    }

    private static void closeQuietly(NamudServer server) {
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException("namud did not stop cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "namud@" + address;
    }
}
