package dev.namu.server.transfer;

import dev.namu.zones.store.TransferSettings;
import java.net.InetSocketAddress;
import java.util.List;

/** One zone's transfer settings, read: who may transfer it and which secondaries hear of its changes. */
public record ZoneTransferPolicy(TransferAcl allow, List<InetSocketAddress> alsoNotify) {
  public static final ZoneTransferPolicy NONE = new ZoneTransferPolicy(TransferAcl.NOBODY, List.of());

  public ZoneTransferPolicy {
    alsoNotify = List.copyOf(alsoNotify);
  }

  /** @throws IllegalArgumentException with a one-line message naming a bad entry */
  public static ZoneTransferPolicy of(TransferSettings settings) {
    return new ZoneTransferPolicy(TransferAcl.parse(settings.allowTransfer()),
        settings.alsoNotify().stream().map(NotifyTarget::parse).toList());
  }
}
