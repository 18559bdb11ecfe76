package dev.namu.cli.record;

import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.TtlOption;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Base of {@code record add} and {@code record set}: ZONE NAME TYPE RDATA... with {@code --ttl} and {@code --no-ptr}. */
abstract class RRsetCommand extends RecordEditCommand {

  @Parameters(index = "1", paramLabel = "NAME",
      description = "Owner: relative (nas), absolute (nas.home.lan or nas.home.lan.), or @.")
  String name;

  @Parameters(index = "2", paramLabel = "TYPE", description = "Record type (A, AAAA, CNAME, MX, TXT, ...).")
  String type;

  @Parameters(index = "3..*", arity = "1..*", paramLabel = "RDATA", description = "Record data, as in a zone file.")
  List<String> rdata;

  @Mixin TtlOption ttl;

  @Mixin PtrOption ptr;

  @Mixin ViewOption view;

  @Override
  String view() {
    return view.name;
  }

  /** The API's body for these records; {@code data} is one record's text or a list of them. */
  final Map<String, Object> body(Object data) {
    return ApiClient.fields("name", name, "type", type, "data", data, "ttl", ttl.value(), "ptr", ptr.ptr());
  }
}
