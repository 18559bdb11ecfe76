package dev.namu.zones.store;

import java.util.List;

/**
 * A stored zone's zone-transfer settings as written by its editor: who may transfer it (TSIG key
 * names and client addresses or CIDR ranges, RFC 5936 6) and the secondaries told of its changes
 * (ADDR[:PORT], RFC 1996). The store keeps the text; the server reads its meaning.
 */
public record TransferSettings(List<String> allowTransfer, List<String> alsoNotify) {
  /** No transfer allowed, nobody notified: the default of every zone. */
  public static final TransferSettings NONE = new TransferSettings(List.of(), List.of());

  public TransferSettings {
    allowTransfer = List.copyOf(allowTransfer);
    alsoNotify = List.copyOf(alsoNotify);
  }

  public boolean isEmpty() {
    return allowTransfer.isEmpty() && alsoNotify.isEmpty();
  }
}
