package dev.namu.cli.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.TtlConverter;
import dev.namu.cli.client.ApiFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code namuctl record batch ZONE FILE}: many changes as one edit (one serial step, one journal entry,
 * all or nothing). FILE ("-" for stdin) has one change a line:
 * {@code add NAME TYPE RDATA...}, {@code delete NAME [TYPE [RDATA...]]}; # starts a comment.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = {"Apply many changes as one edit: all or nothing, one serial step.",
        "FILE (- for standard input) has one change a line:",
        "  add NAME TYPE RDATA...        delete NAME [TYPE [RDATA...]]"})
public final class RecordBatchCommand extends RecordEditCommand {
  @Parameters(index = "1", paramLabel = "FILE", description = "Change list, or - for standard input.")
  String file;

  @Option(names = "--ttl", paramLabel = "TTL", converter = TtlConverter.class,
      description = "TTL of added records (default 3600): seconds, or 30m, 1h30m, 1d, 1w.")
  Long ttl;

  @Option(names = "--no-ptr", description = "Do not add or delete PTR records in reverse zones.")
  boolean noPtr;

  @Override
  protected JsonNode request(ApiClient client) {
    List<Map<String, Object>> changes = new ArrayList<>();
    try (BufferedReader in = file.equals("-")
        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        changes.add(change(text.split("\\s+", 4), n));
      }
    } catch (IOException e) {
      throw new ApiFailure("cannot read " + file + ": " + e.getMessage());
    }
    if (changes.isEmpty()) {
      throw new ApiFailure(file + " holds no changes");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("changes", changes);
    body.put("ptr", !noPtr);
    return client.post("zones/" + ApiClient.enc(zone) + "/batch", body);
  }

  private Map<String, Object> change(String[] w, int line) {
    Map<String, Object> c = new LinkedHashMap<>();
    if (w[0].equals("add") && w.length >= 4) {
      c.put("op", "add");
      c.put("name", w[1]);
      c.put("type", w[2]);
      c.put("data", w[3]);
      if (ttl != null) {
        c.put("ttl", ttl);
      }
    } else if (w[0].equals("delete") && w.length >= 2) {
      c.put("op", "delete");
      c.put("name", w[1]);
      if (w.length >= 3) {
        c.put("type", w[2]);
      }
      if (w.length >= 4) {
        c.put("data", w[3]);
      }
    } else {
      throw new ApiFailure(file + ":" + line + ": expected 'add NAME TYPE RDATA...' or 'delete NAME [TYPE [RDATA...]]'");
    }
    return c;
  }
}
