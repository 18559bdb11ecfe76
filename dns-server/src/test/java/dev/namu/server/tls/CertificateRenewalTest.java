package dev.namu.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.NamudServer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A certificate renewed in place (certbot and lego write new files under the same names) is what
 * new DNS over TLS connections get, without a reload, while a connection opened before keeps
 * answering on the certificate it began with.
 */
class CertificateRenewalTest {
  /** Far more than the watcher's 2 s between looks, for a loaded machine. */
  private static final Duration RENEWAL_SEEN_WITHIN = Duration.ofSeconds(60);

  @Test
  void newConnectionsGetTheRenewedCertificateAndOpenOnesStay(@TempDir Path dir) throws Exception {
    Path[] first = TestCertificates.make(dir, "first");
    Path[] renewed = TestCertificates.make(dir, "renewed");
    Path cert = Files.copy(first[0], dir.resolve("live.crt"));
    Path key = Files.copy(first[1], dir.resolve("live.key"));
    SSLContext client = TestCertificates.trusting(first[0], renewed[0]);
    try (NamudServer namud = NamudServer.start("--listen", "127.0.0.1:0", "--listen-tls", "127.0.0.1:0",
        "--tls-cert", cert.toString(), "--tls-key", key.toString(), "--tcp-idle-timeout", "600",
        "--no-api", "--no-metrics", "--no-recursion", "--data", dir.resolve("data").toString(),
        "--log-level", "WARN")) {
      InetSocketAddress dot = namud.tlsAddresses().get(0);
      try (SSLSocket open = connect(client, dot)) {
        assertTrue(subject(open).contains("first"), subject(open));
        assertEquals(Rcode.NOERROR, ask(open, 1).getRcode());

        // as a renewal tool does: each file replaced whole, the key first
        replace(renewed[1], key);
        replace(renewed[0], cert);
        Instant deadline = Instant.now().plus(RENEWAL_SEEN_WITHIN);
        String served;
        do {
          try (SSLSocket fresh = connect(client, dot)) {
            served = subject(fresh);
          }
        } while (!served.contains("renewed") && Instant.now().isBefore(deadline) && pause());
        assertTrue(served.contains("renewed"), "new connections still get " + served);

        // the connection opened before the renewal is not dropped: it still answers
        assertTrue(subject(open).contains("first"), subject(open));
        Message reply = ask(open, 2);
        assertEquals(2, reply.getHeader().getID());
        assertEquals(Rcode.NOERROR, reply.getRcode());
      }
    }
  }

  private static boolean pause() throws InterruptedException {
    Thread.sleep(200); // between attempts to connect, not a wait for an event
    return true;
  }

  private static void replace(Path source, Path target) throws Exception {
    Path temp = Files.copy(source, target.resolveSibling(target.getFileName() + ".new"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static SSLSocket connect(SSLContext client, InetSocketAddress dot) throws Exception {
    SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(dot.getAddress(), dot.getPort());
    socket.setSoTimeout(20_000);
    socket.startHandshake();
    return socket;
  }

  private static String subject(SSLSocket socket) throws Exception {
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
  }

  private static Message ask(SSLSocket socket, int id) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("nas.home.lan."), Type.A, DClass.IN));
    query.getHeader().setID(id);
    byte[] wire = query.toWire();
    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    out.writeShort(wire.length);
    out.write(wire);
    out.flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] reply = new byte[in.readUnsignedShort()];
    in.readFully(reply);
    return new Message(reply);
  }
}
