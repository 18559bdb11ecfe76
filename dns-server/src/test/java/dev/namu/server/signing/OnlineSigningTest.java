package dev.namu.server.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamuctlCalls;
import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import dev.namu.server.peers.ToolRun;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zone namud signs, as its user and the parent's operator see it: signed with {@code namuctl zone
 * sign}, transferred by AXFR with dig, and checked by BIND's dnssec-verify and ldns-verify-zone, after
 * signing, after 100 edits through the API and after a KSK rollover; {@code namuctl zone ds} prints
 * what dnssec-dsfromkey makes of the transferred DNSKEYs. namud listens on 127.0.66.1.
 */
class OnlineSigningTest {
  private static final String ZONE = "signed.test";

  @TempDir Path dir;
  private NamudServer namud;
  private String api;
  private Path data;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    data = dir.resolve("data");
    namud = NamudServer.start("--listen", "127.0.66.1:0", "--data", data.toString(), "--api", "127.0.66.1:0",
        "--no-metrics", "--no-recursion", "--rrl-rate", "0");
    api = "http://127.0.66.1:" + namud.admin().apiAddress().orElseThrow().getPort();
    namuctl("zone", "create", ZONE, "--ns", "ns1." + ZONE + ".");
    namuctl("record", "add", ZONE, "ns1", "A", "192.0.2.53");
    namuctl("record", "add", ZONE, "www", "A", "192.0.2.80");
    namuctl("record", "add", ZONE, "www", "AAAA", "2001:db8::80");
    namuctl("record", "add", ZONE, "a.b.deep", "TXT", "below an empty non-terminal");
    namuctl("record", "add", ZONE, "*.wild", "TXT", "any");
    // a delegation with glue, and one with a DS (a signed child)
    namuctl("record", "add", ZONE, "ns.child", "A", "192.0.2.54");
    namuctl("record", "add", ZONE, "child", "NS", "ns.child." + ZONE + ".");
    namuctl("record", "add", ZONE, "secure", "NS", "ns.elsewhere.example.");
    namuctl("record", "add", ZONE, "secure", "DS", "4242 13 2 " + "AB".repeat(32));
    call("PUT", "/api/v1/zones/" + ZONE + "/transfer", "{\"allowTransfer\":[\"127.0.66.0/24\"]}", 200);
  }

  @AfterEach
  void stop() {
    if (namud != null) {
      namud.close();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aSignedZoneVerifiesAfterSigningEditsAndAKskRollover(boolean nsec3) throws Exception {
    String signed = nsec3 ? namuctl("zone", "sign", ZONE, "--nsec3") : namuctl("zone", "sign", ZONE);
    assertTrue(signed.contains(" DS "), signed);
    Path zone = verifiedTransfer("signed", nsec3);
    assertEquals(dsFromKey(zone), ds(namuctl("zone", "ds", ZONE)));

    for (int i = 0; i < 100; i++) {
      switch (i % 4) {
        case 0, 1 -> namuctl("record", "add", ZONE, "host" + i, "A", "198.51.100." + i);
        case 2 -> namuctl("record", "add", ZONE, "www", "TXT", "edit " + i);
        default -> namuctl("record", "delete", ZONE, "host" + (i - 3), "A");
      }
    }
    verifiedTransfer("edited", nsec3);

    String before = String.join("\n", ds(namuctl("zone", "ds", ZONE)));
    String rolling = namuctl("zone", "rollover", ZONE, "--ksk");
    assertEquals(2, ds(namuctl("zone", "ds", ZONE)).size(), "double-DS: the old and the new DS\n" + rolling);
    verifiedTransfer("ksk-rolling", nsec3);
    namuctl("zone", "ds-published", ZONE);
    Path rolled = verifiedTransfer("ksk-rolled", nsec3);
    List<String> after = ds(namuctl("zone", "ds", ZONE));
    assertEquals(1, after.size());
    assertNotEquals(before, after.get(0));
    assertEquals(dsFromKey(rolled), after);
    assertTrue(namuctl("zone", "show", ZONE).contains("active"));
  }

  @Test
  void theSignersRecordsAreRefusedToEditsAndUnsignRemovesThem() throws Exception {
    namuctl("zone", "sign", ZONE, "--algorithm", "ed25519");
    String refused = call("POST", "/api/v1/zones/" + ZONE + "/records",
        "{\"name\":\"www\",\"type\":\"NSEC\",\"data\":\"zzz." + ZONE + ". A\"}", 400);
    assertTrue(refused.contains("signed by namud"), refused);
    // RFC 2136 UPDATE with nsupdate: the signer's types are REFUSED, other records keep the zone signed
    var nsupdate = ToolLocator.find("nsupdate");
    assumeTrue(nsupdate.isPresent(), ToolLocator.missing("nsupdate", "bind9-dnsutils"));
    Path key = Files.writeString(dir.resolve("upd.key"), namuctl("key", "add", "upd"));
    String server = "server 127.0.66.1 " + namud.boundAddresses().get(0).getPort() + "\nzone " + ZONE + ".\n";
    Path bad = Files.writeString(dir.resolve("bad.txt"), server + "update delete www." + ZONE + ". RRSIG\nsend\n");
    ToolRun update = ToolRun.of(nsupdate.get().toString(), "-k", key.toString(), bad.toString());
    assertTrue(update.out().contains("REFUSED"), update.out());
    Path good = Files.writeString(dir.resolve("good.txt"), server + "update add nsupdated." + ZONE + ". 300 A 192.0.2.9\nsend\n");
    ToolRun added = ToolRun.of(nsupdate.get().toString(), "-k", key.toString(), good.toString());
    assertEquals(0, added.exit(), added.out());
    assertTrue(verifiedTransfer("nsupdated", false).toFile().length() > 0);
    String show = namuctl("zone", "show", ZONE);
    assertTrue(show.contains("KSK") && show.contains("ZSK") && show.contains("ed25519"), show);
    namuctl("zone", "unsign", ZONE);
    String axfr = dig("axfr");
    assertTrue(axfr.contains("www." + ZONE + "."), axfr);
    assertTrue(!axfr.contains("RRSIG") && !axfr.contains("DNSKEY") && !axfr.contains("NSEC"), axfr);
  }

  /** The zone by AXFR from namud, written to a file that dnssec-verify and ldns-verify-zone accept. */
  private Path verifiedTransfer(String label, boolean nsec3) throws Exception {
    String axfr = dig("axfr");
    assertTrue(axfr.contains("\tRRSIG\t"), axfr);
    assertTrue(java.util.regex.Pattern.compile(nsec3 ? "\\sNSEC3\\s" : "\\sNSEC\\s").matcher(axfr).find(), axfr);
    List<String> lines = Arrays.stream(axfr.split("\n")).filter(l -> !l.isBlank() && !l.startsWith(";")).toList();
    Path file = dir.resolve(label + ".zone");
    // AXFR ends with the SOA again: once in the file
    Files.write(file, lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
    var verify = ToolLocator.find("dnssec-verify");
    assumeTrue(verify.isPresent(), ToolLocator.missing("dnssec-verify", "bind9-utils"));
    ToolRun bind = ToolRun.of(verify.get().toString(), "-o", ZONE + ".", file.toString());
    assertEquals(0, bind.exit(), label + ": dnssec-verify\n" + bind.out());
    var ldns = ToolLocator.find("ldns-verify-zone");
    assumeTrue(ldns.isPresent(), ToolLocator.missing("ldns-verify-zone", "ldnsutils"));
    ToolRun l = ToolRun.of(ldns.get().toString(), file.toString());
    assertEquals(0, l.exit(), label + ": ldns-verify-zone\n" + l.out());
    return file;
  }

  /** What BIND's dnssec-dsfromkey -2 gives for the KSKs of a zone file. */
  private List<String> dsFromKey(Path file) throws Exception {
    var tool = ToolLocator.find("dnssec-dsfromkey");
    assumeTrue(tool.isPresent(), ToolLocator.missing("dnssec-dsfromkey", "bind9-utils"));
    ToolRun r = ToolRun.of(tool.get().toString(), "-2", "-f", file.toString(), ZONE + ".");
    assertEquals(0, r.exit(), r.out());
    return ds(r.out());
  }

  /** DS lines as owner, class, type and RDATA, the TTL left out (dnssec-dsfromkey prints none). */
  private static List<String> ds(String out) {
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      List<String> f = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
      if (f.size() > 4 && f.contains("DS")) {
        if (f.get(1).matches("\\d+")) {
          f.remove(1);
        }
        lines.add(f.stream().map(s -> s.toUpperCase(java.util.Locale.ROOT)).collect(Collectors.joining(" ")));
      }
    }
    lines.sort(null);
    return lines;
  }

  private String dig(String... args) throws Exception {
    var dig = ToolLocator.find("dig");
    assumeTrue(dig.isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
    List<String> cmd = new ArrayList<>(List.of(dig.get().toString(), "@127.0.66.1", "-b", "127.0.66.2", "-p",
        Integer.toString(namud.boundAddresses().get(0).getPort()), "+tries=1", "+time=10", "+nocmd", "+nostats",
        ZONE + "."));
    cmd.addAll(List.of(args));
    ToolRun r = ToolRun.of(cmd.toArray(String[]::new));
    assertEquals(0, r.exit(), r.out());
    assertTrue(!r.out().contains("Transfer failed"), r.out());
    return r.out();
  }

  private String namuctl(String... args) {
    return NamuctlCalls.succeed(api, data, args);
  }

  private String call(String method, String path, String body, int status) throws Exception {
    String token = Files.readString(data.resolve("api-token")).trim();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
    return r.body();
  }
}
