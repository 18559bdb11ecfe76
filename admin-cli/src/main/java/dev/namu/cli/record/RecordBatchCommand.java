package dev.namu.cli.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ApiFailure;
import dev.namu.cli.client.TtlOption;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code namuctl record batch ZONE FILE}: many changes as one edit (one serial step, one journal entry,
 * all or nothing). FILE ("-" for stdin) has one change a line:
 * {@code add NAME TYPE RDATA...}, {@code delete NAME [TYPE [RDATA...]]}; # starts a comment.
 */
@Command(name = "batch",
    description = {"Apply many changes as one edit: all or nothing, one serial step.",
        "FILE (- for standard input) has one change a line:",
        "  add NAME TYPE RDATA...        delete NAME [TYPE [RDATA...]]"})
public final class RecordBatchCommand extends RecordEditCommand {
  @Parameters(index = "1", paramLabel = "FILE", description = "Change list, or - for standard input.")
  String file;

  @Mixin TtlOption ttl;

  @Mixin PtrOption ptr;

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
    return client.post("zones/" + ApiClient.enc(zone) + "/batch", ApiClient.fields("changes", changes, "ptr", ptr.ptr()));
  }

  /** One line's change: {@code add NAME TYPE RDATA} or {@code delete NAME [TYPE [RDATA]]}, the data one string. */
  private Map<String, Object> change(String[] w, int line) {
    if (w[0].equals("add") && w.length >= 4) {
      return ApiClient.fields("op", "add", "name", w[1], "type", w[2], "data", w[3], "ttl", ttl.value());
    }
    if (w[0].equals("delete") && w.length >= 2) {
      return ApiClient.fields("op", "delete", "name", w[1], "type", w.length >= 3 ? w[2] : null,
          "data", w.length >= 4 ? w[3] : null);
    }
    throw new ApiFailure(file + ":" + line + ": expected 'add NAME TYPE RDATA...' or 'delete NAME [TYPE [RDATA...]]'");
  }
}
