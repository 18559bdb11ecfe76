package dev.namu.cli.record;

import picocli.CommandLine.Option;

/** {@code --no-ptr} of the record edits: by default namud keeps the PTR of an A/AAAA in a served reverse zone. */
final class PtrOption {

  @Option(names = "--no-ptr", description = "Leave PTR records in reverse zones alone (by default an A/AAAA edit"
      + " makes the same edit to its PTR when namud serves the reverse zone).")
  boolean noPtr;

  /** Whether namud should edit the PTR records too (the API's {@code ptr}). */
  boolean ptr() {
    return !noPtr;
  }
}
