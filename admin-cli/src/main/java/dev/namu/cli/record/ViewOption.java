package dev.namu.cli.record;

import picocli.CommandLine.Option;

/** {@code --view NAME}: a record command acts on the records one view of split horizon lays over the zone. */
final class ViewOption {
  @Option(names = "--view", paramLabel = "NAME",
      description = "Act on the records of this view (split horizon): they replace the zone's RRsets of the same"
          + " name and type for the view's clients; the zone itself is left as it is.")
  String name;
}
