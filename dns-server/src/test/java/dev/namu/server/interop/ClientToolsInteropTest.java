package dev.namu.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.Hermetic;
import dev.namu.server.NamudServer;
import dev.namu.server.ToolPorts;
import dev.namu.server.peers.NamudPeer;
import dev.namu.server.peers.ToolLocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dig, kdig and nslookup, run as processes the way a user types them, against namud on its
 * embedded example zone (no --zones) on an ephemeral loopback port. Each test skips with a clear
 * message when its tool is not installed.
 */
class ClientToolsInteropTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final Pattern NAS_A =
            Pattern.compile("(?m)^nas\\.home\\.lan\\.\\s+\\d+\\s+IN\\s+A\\s+192\\.168\\.0\\.12\\s*$");

    private static NamudPeer namud;
    private static String port;

    @BeforeAll
    static void startNamud() throws Exception {
        namud = NamudPeer.start("--listen", ToolPorts.listen());
        port = Integer.toString(namud.address().getPort());
    }

    @AfterAll
    static void stopNamud() {
        if (namud != null) {
            namud.close();
        }
    }

    @Test
    void digGetsAnAuthoritativeAnswerOverUdp() throws Exception {
        ToolRun run = dig("nas.home.lan");
        assertAuthoritativeNas(run);
        assertTrue(run.stdout().contains("(UDP)"), run.transcript());
        assertTrue(digFlags(run).contains("rd"), "dig asks for recursion by default\n" + run.transcript());
    }

    @Test
    void digOverTcp() throws Exception {
        ToolRun run = dig("+tcp", "nas.home.lan");
        assertAuthoritativeNas(run);
        assertTrue(run.stdout().contains("(TCP)"), run.transcript());
    }

    @Test
    void digWithASmallBufferAndWithoutEdns() throws Exception {
        ToolRun small = dig("+bufsize=512", "nas.home.lan");
        assertAuthoritativeNas(small);
        // RFC 6891 6.2.5: the server states its own payload size (namud: 1232).
        assertTrue(small.stdout().contains("; EDNS: version: 0"), small.transcript());
        ToolRun plain = dig("+noedns", "nas.home.lan");
        assertAuthoritativeNas(plain);
        assertFalse(plain.stdout().contains("; EDNS:"), "no OPT in the reply to a query without one\n"
                + plain.transcript());
    }

    @Test
    void digWithoutRecursionDesired() throws Exception {
        ToolRun run = dig("+norec", "nas.home.lan");
        assertAuthoritativeNas(run);
        assertFalse(digFlags(run).contains("rd"), "RD is copied from the query (RFC 1035 4.1.1)\n" + run.transcript());
    }

    @Test
    void digReverseLookupOfTheNas() throws Exception {
        ToolRun run = dig("-x", "192.168.0.12");
        assertPtr(run, "12.0.168.192.in-addr.arpa.", "nas.home.lan.");
        assertTrue(digFlags(run).contains("aa"), run.transcript());
    }

    @Test
    void digReverseLookupOfTheListeningAddressSaysLocalhost() throws Exception {
        assertPtr(dig("-x", "127.0.0.1"), "1.0.0.127.in-addr.arpa.", "localhost.");
    }

    /** NOERROR, and the PTR record {@code owner} to {@code target} in dig's answer section. */
    private static void assertPtr(ToolRun run, String owner, String target) {
        assertEquals("NOERROR", digStatus(run), run.transcript());
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(owner) + "\\s+\\d+\\s+IN\\s+PTR\\s+" + Pattern.quote(target)
                + "\\s*$").matcher(run.stdout()).find(), run.transcript());
    }

    @Test
    void digNonExistentNameIsNxdomainWithTheSoa() throws Exception {
        ToolRun run = dig("+norec", "no-such-host.home.lan");
        assertEquals("NXDOMAIN", digStatus(run), run.transcript());
        assertTrue(digFlags(run).contains("aa"), run.transcript());
        assertTrue(Pattern.compile("(?m)^home\\.lan\\.\\s+\\d+\\s+IN\\s+SOA\\s").matcher(run.stdout()).find(),
                run.transcript());
    }

    @Test
    void digMixedCaseQuestionKeepsItsCase() throws Exception {
        ToolRun run = dig("+norec", "NaS.HoMe.LaN");
        assertEquals("NOERROR", digStatus(run), run.transcript());
        assertTrue(Pattern.compile("(?m)^NaS\\.HoMe\\.LaN\\.\\s+\\d+\\s+IN\\s+A\\s+192\\.168\\.0\\.12\\s*$")
                .matcher(run.stdout()).find(), "RFC 4343: the answer keeps the question's case\n" + run.transcript());
    }

    @Test
    void digOverIpv6Loopback() throws Exception {
        assumeTrue(ToolLocator.find("dig").isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
        try (NamudServer v6 = Hermetic.start("--listen", "[::1]:0")) {
            int v6Port = v6.boundAddresses().get(0).getPort();
            for (String transport : List.of("+notcp", "+tcp")) {
                ToolRun run = ToolRun.run(LIMIT, List.of(ToolLocator.find("dig").orElseThrow().toString(), "@::1",
                        "-p", Integer.toString(v6Port), "+time=3", "+tries=2", transport, "nas.home.lan", "AAAA"));
                assertEquals(0, run.exitCode(), run.transcript());
                assertEquals("NOERROR", digStatus(run), run.transcript());
                assertTrue(digFlags(run).contains("aa"), run.transcript());
                assertTrue(run.stdout().contains(";; SERVER: ::1#" + v6Port + "(::1)"), run.transcript());
                // nas has no AAAA: NODATA with the zone's SOA (RFC 2308 2.2)
                assertTrue(run.stdout().contains("ANSWER: 0,"), run.transcript());
                assertTrue(Pattern.compile("(?m)^home\\.lan\\.\\s+\\d+\\s+IN\\s+SOA\\s").matcher(run.stdout()).find(),
                        run.transcript());
            }
        }
    }

    @Test
    void kdigOverUdpAndTcp() throws Exception {
        assumeTrue(ToolLocator.find("kdig").isPresent(), ToolLocator.missing("kdig", "knot-dnsutils"));
        for (String transport : List.of("+notcp", "+tcp")) {
            ToolRun run = ToolRun.run(LIMIT, List.of(ToolLocator.find("kdig").orElseThrow().toString(),
                    "@127.0.0.1", "-p", port, transport, "nas.home.lan", "A"));
            assertEquals(0, run.exitCode(), run.transcript());
            assertTrue(run.stdout().contains("status: NOERROR"), run.transcript());
            Matcher flags = Pattern.compile("(?m)^;; Flags: ([a-z ]+);").matcher(run.stdout());
            assertTrue(flags.find(), run.transcript());
            assertTrue(Set.of(flags.group(1).trim().split(" ")).contains("aa"), run.transcript());
            assertTrue(NAS_A.matcher(run.stdout()).find(), run.transcript());
            String expectedFrom = "127.0.0.1@" + port + (transport.equals("+tcp") ? "(TCP)" : "(UDP)");
            assertTrue(run.stdout().contains(expectedFrom), run.transcript());
        }
    }

    @Test
    void nslookupPrintsTheAddressAndTheServer() throws Exception {
        assumeTrue(ToolLocator.find("nslookup").isPresent(), ToolLocator.missing("nslookup", "bind9-dnsutils"));
        ToolRun run = ToolRun.run(LIMIT, List.of(ToolLocator.find("nslookup").orElseThrow().toString(),
                "-port=" + port, "nas.home.lan", "127.0.0.1"));
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(Pattern.compile("(?m)^Server:\\s+127\\.0\\.0\\.1\\s*$").matcher(run.stdout()).find(), run.transcript());
        assertTrue(run.stdout().contains("Address:\t127.0.0.1#" + port), run.transcript());
        assertTrue(Pattern.compile("(?m)^Name:\\s+nas\\.home\\.lan\\s*\\RAddress: 192\\.168\\.0\\.12\\s*$")
                .matcher(run.stdout()).find(), run.transcript());
        assertFalse(run.stdout().contains("UnKnown"), run.transcript());
        assertFalse(run.stdout().contains("can't find"), run.transcript());
    }

    @Test
    void nslookupReverseAndNonExistent() throws Exception {
        assumeTrue(ToolLocator.find("nslookup").isPresent(), ToolLocator.missing("nslookup", "bind9-dnsutils"));
        String nslookup = ToolLocator.find("nslookup").orElseThrow().toString();
        ToolRun reverse = ToolRun.run(LIMIT, List.of(nslookup, "-port=" + port, "192.168.0.12", "127.0.0.1"));
        assertEquals(0, reverse.exitCode(), reverse.transcript());
        assertTrue(reverse.stdout().contains("12.0.168.192.in-addr.arpa\tname = nas.home.lan."), reverse.transcript());
        ToolRun missing = ToolRun.run(LIMIT, List.of(nslookup, "-port=" + port, "no-such-host.home.lan", "127.0.0.1"));
        assertTrue(missing.stdout().contains("** server can't find no-such-host.home.lan: NXDOMAIN"),
                missing.transcript());
        assertEquals(1, missing.exitCode(), missing.transcript());
    }

    private static void assertAuthoritativeNas(ToolRun run) {
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals("NOERROR", digStatus(run), run.transcript());
        assertTrue(digFlags(run).contains("qr") && digFlags(run).contains("aa"), run.transcript());
        assertTrue(NAS_A.matcher(run.stdout()).find(), run.transcript());
        assertTrue(run.stdout().contains(";; SERVER: 127.0.0.1#" + port + "(127.0.0.1)"), run.transcript());
    }

    private static ToolRun dig(String... args) throws Exception {
        assumeTrue(ToolLocator.find("dig").isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
        List<String> command = new ArrayList<>(List.of(ToolLocator.find("dig").orElseThrow().toString(),
                "@127.0.0.1", "-p", port, "+time=3", "+tries=2"));
        command.addAll(Arrays.asList(args));
        return ToolRun.run(LIMIT, command);
    }

    private static String digStatus(ToolRun run) {
        Matcher status = Pattern.compile("status: ([A-Z]+)").matcher(run.stdout());
        return status.find() ? status.group(1) : "(no status line)";
    }

    private static Set<String> digFlags(ToolRun run) {
        Matcher flags = Pattern.compile("(?m)^;; flags: ([a-z ]*);").matcher(run.stdout());
        return flags.find() ? Arrays.stream(flags.group(1).trim().split(" ")).collect(Collectors.toSet()) : Set.of();
    }
}
