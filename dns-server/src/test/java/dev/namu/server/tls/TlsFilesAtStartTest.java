package dev.namu.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.Hermetic;
import dev.namu.server.interop.ToolRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * namud, run as the process a user starts, refuses a certificate or key it cannot use with one
 * line and exit 1, before it binds anything: a missing file, a file that is no PEM, an encrypted
 * key, a key in the old RSA form, and the key of another certificate.
 */
class TlsFilesAtStartTest {
  @TempDir static Path dir;
  private static Path cert;
  private static Path key;
  private static Path otherKey;

  @BeforeAll
  static void certificates() throws Exception {
    Path[] pair = TestCertificates.make(dir, "one");
    cert = pair[0];
    key = pair[1];
    otherKey = TestCertificates.make(dir, "two")[1];
  }

  @Test
  void missingCertificate() throws Exception {
    assertRefused("--tls-cert " + dir.resolve("none.crt") + ": no such file", dir.resolve("none.crt"), key);
  }

  @Test
  void missingKey() throws Exception {
    assertRefused("--tls-key " + dir.resolve("none.key") + ": no such file", cert, dir.resolve("none.key"));
  }

  @Test
  void certificateThatIsNoPem() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.crt"), "not a certificate\n");
    assertRefused("--tls-cert " + garbage + ": no PEM certificate in it", garbage, key);
  }

  @Test
  void theKeyGivenAsCertificate() throws Exception {
    assertRefused("--tls-cert " + key + ": no PEM certificate in it", key, key);
  }

  @Test
  void theCertificateGivenAsKey() throws Exception {
    assertRefused("--tls-key " + cert + ": no PEM private key in it", cert, cert);
  }

  @Test
  void keyOfAnotherCertificate() throws Exception {
    assertRefused("--tls-key " + otherKey + ": not the private key of the certificate in " + cert, cert, otherKey);
  }

  @Test
  void rsaKeyInItsOldForm() throws Exception {
    Path old = dir.resolve("old-rsa.key");
    TestCertificates.openssl("genrsa", "-traditional", "-out", old.toString(), "2048");
    assertTrue(Files.readString(old).contains("BEGIN RSA PRIVATE KEY"), "openssl wrote the old form");
    assertRefused("--tls-key " + old + ": an RSA key in its old form; convert it to PKCS#8", cert, old);
  }

  @Test
  void encryptedKey() throws Exception {
    Path encrypted = dir.resolve("encrypted.key");
    TestCertificates.openssl("pkcs8", "-topk8", "-in", key.toString(), "-out", encrypted.toString(),
        "-passout", "pass:secret");
    assertRefused("--tls-key " + encrypted + ": the key is encrypted", cert, encrypted);
  }

  @Test
  void aListenerWithoutCertificateIsABadFlag() throws Exception {
    ToolRun run = namud("--listen", "127.0.0.1:0", "--listen-tls", "127.0.0.1:0", "--tls-key", key.toString());
    assertEquals(2, run.exitCode(), run.transcript());
    assertEquals("namud: --listen-tls needs --tls-cert (a PEM certificate file) (see namud --help)",
        run.stderr().strip(), run.transcript());
  }

  private static void assertRefused(String expected, Path certFile, Path keyFile) throws Exception {
    ToolRun run = namud("--listen", "127.0.0.1:0", "--listen-tls", "127.0.0.1:0",
        "--tls-cert", certFile.toString(), "--tls-key", keyFile.toString());
    assertEquals(1, run.exitCode(), run.transcript());
    String line = run.stderr().strip();
    assertFalse(line.contains("\n"), "one line\n" + run.transcript());
    assertFalse(line.contains("Exception") || line.contains("\tat "), "no stack trace\n" + run.transcript());
    assertTrue(line.startsWith("namud: " + expected), "expected namud: " + expected + "\n" + run.transcript());
  }

  /** namud's main as a process, as a user runs it. */
  private static ToolRun namud(String... flags) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "-cp", classpath, "dev.namu.server.Namud"));
    command.addAll(List.of(Hermetic.args(flags)));
    command.addAll(List.of("--log-level", "WARN"));
    return ToolRun.run(Duration.ofSeconds(60), command);
  }
}
