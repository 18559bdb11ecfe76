package dev.namu.server.peers;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A minimal stub client for tests: sends one question to a loopback server over UDP or TCP
 * (RFC 7766 2-byte framing, one connection per server reused across queries) and returns the
 * parsed reply. Not thread safe: one instance per thread.
 */
public final class LoopbackDnsClient implements AutoCloseable {

    /** Advertised EDNS buffer size: large enough that the test zones never truncate. */
    public static final int EDNS_SIZE = 1232;
    private static final int TRIES = 3;

    private final Duration timeout;
    private final DatagramSocket udp;
    private final Map<InetSocketAddress, Socket> tcp = new HashMap<>();
    private final byte[] buffer = new byte[65535];

    public LoopbackDnsClient(Duration timeout) {
        this.timeout = timeout;
        try {
            this.udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            udp.setSoTimeout((int) timeout.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback UDP socket", e);
        }
    }

    /** A non-recursive query with EDNS(0) for {@code name}/{@code type}, class IN. */
    public static Message question(Name name, int type) {
        return question(name, type, true);
    }

    /** The EDNS a test query carries. */
    public enum Edns {
        NONE, PLAIN, DO, VERSION_1,
        /** DO with the smallest UDP size EDNS allows (RFC 6891 6.2.5): signed answers get truncated. */
        DO_512
    }

    /** A non-recursive query for {@code name}/{@code type}, class IN, with or without EDNS(0). */
    public static Message question(Name name, int type, boolean edns) {
        return question(name, type, edns ? Edns.PLAIN : Edns.NONE);
    }

    /** A non-recursive query for {@code name}/{@code type}, class IN, with the given EDNS. */
    public static Message question(Name name, int type, Edns edns) {
        Message query = Message.newQuery(Record.newRecord(name, type, org.xbill.DNS.DClass.IN));
        query.getHeader().unsetFlag(Flags.RD);
        query.getHeader().setID(ThreadLocalRandom.current().nextInt(0x10000));
        switch (edns) {
            case PLAIN -> query.addRecord(new OPTRecord(EDNS_SIZE, 0, 0), Section.ADDITIONAL);
            case DO -> query.addRecord(new OPTRecord(EDNS_SIZE, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
            case VERSION_1 -> query.addRecord(new OPTRecord(EDNS_SIZE, 0, 1), Section.ADDITIONAL);
            case DO_512 -> query.addRecord(new OPTRecord(512, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
            case NONE -> { }
        }
        return query;
    }

    /** Sends {@code query} and waits for its reply; throws when the server does not answer in time. */
    public Message send(InetSocketAddress server, Message query, Transport transport) throws IOException {
        byte[] wire = query.toWire(65535);
        IOException last = null;
        for (int attempt = 0; attempt < TRIES; attempt++) {
            try {
                return transport == Transport.UDP ? overUdp(server, wire, query.getHeader().getID())
                        : overTcp(server, wire, query.getHeader().getID());
            } catch (IOException e) {
                last = e;
                dropTcp(server);
            }
        }
        throw new IOException("no " + transport + " reply from " + server + " after " + TRIES + " tries", last);
    }

    private Message overUdp(InetSocketAddress server, byte[] wire, int id) throws IOException {
        udp.send(new DatagramPacket(wire, wire.length, server));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            udp.receive(packet);
            byte[] reply = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            // Late replies to an earlier, timed-out try carry another ID: skip them.
            if (packet.getSocketAddress().equals(server) && reply.length >= 2
                    && ((reply[0] & 0xff) << 8 | (reply[1] & 0xff)) == id) {
                return new Message(reply);
            }
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("UDP reply with ID " + id + " not received");
            }
        }
    }

    private Message overTcp(InetSocketAddress server, byte[] wire, int id) throws IOException {
        Socket socket = tcp.get(server);
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(server, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            tcp.put(server, socket);
        }
        OutputStream out = socket.getOutputStream();
        byte[] framed = new byte[wire.length + 2];
        framed[0] = (byte) (wire.length >>> 8);
        framed[1] = (byte) wire.length;
        System.arraycopy(wire, 0, framed, 2, wire.length);
        out.write(framed);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int length = in.readUnsignedShort();
        byte[] reply = new byte[length];
        in.readFully(reply);
        Message message = new Message(reply);
        if (message.getHeader().getID() != id) {
            throw new IOException("TCP reply ID " + message.getHeader().getID() + " does not match query ID " + id);
        }
        return message;
    }

    private void dropTcp(InetSocketAddress server) {
        Socket socket = tcp.remove(server);
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing to do
            }
        }
    }

    @Override
    public void close() {
        udp.close();
        for (InetSocketAddress server : Map.copyOf(tcp).keySet()) {
            dropTcp(server);
        }
    }
}
