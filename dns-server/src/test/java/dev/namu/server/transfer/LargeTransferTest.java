package dev.namu.server.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import dev.namu.server.peers.ToolRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * An AXFR far bigger than the connection's buffers (a zone file of 60,000 records, about 2 MB of
 * messages) reaches a real kdig whole: namud writes while the connection takes it and goes on each
 * time it drains, however soon that is, rather than waiting for a turn that already passed.
 */
class LargeTransferTest {
  private static final String ZONE = "large.test.";
  private static final int HOSTS = 60_000;

  @TempDir Path dir;

  @Test
  void anAxfrOfSixtyThousandRecordsArrivesWhole() throws Exception {
    var kdig = ToolLocator.find("kdig");
    assumeTrue(kdig.isPresent(), ToolLocator.missing("kdig", "knot-dnsutils"));
    Path zones = Files.createDirectories(dir.resolve("zones"));
    StringBuilder text = new StringBuilder("$ORIGIN " + ZONE + "\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 86400 300\n"
        + "@ 3600 IN NS ns1\nns1 3600 IN A 192.0.2.53\n");
    for (int i = 0; i < HOSTS; i++) {
      text.append("host").append(i).append(" 3600 IN A 10.").append(i >> 16).append('.').append((i >> 8) & 255)
          .append('.').append(i & 255).append('\n');
    }
    Files.writeString(zones.resolve(ZONE + "zone"), text);
    try (NamudServer server = NamudServer.start("--listen", "127.0.0.1:0", "--zones", zones.toString(),
        "--data", dir.resolve("data").toString(), "--no-api", "--no-metrics", "--no-recursion", "--rrl-rate", "0",
        "--allow-transfer", ZONE + "=127.0.0.1/32")) {
      int records = server.zones().current().zone(Name.fromString(ZONE)).records().size();
      List<String> cmd = List.of(kdig.get().toString(), "@127.0.0.1", "-p",
          Integer.toString(server.boundAddresses().get(0).getPort()), "+retry=0", "+time=30", "+noall", "+stats",
          ZONE, "axfr");
      String out = ToolRun.of(cmd, null).out();
      Matcher size = Pattern.compile("Received .* \\((\\d+) messages, (\\d+) records\\)").matcher(out);
      assertTrue(size.find(), "the transfer did not complete: " + out.substring(Math.max(0, out.length() - 400)));
      assertEquals(records + 1, Integer.parseInt(size.group(2)), "every record, the SOA twice\n" + out);
    }
  }
}
