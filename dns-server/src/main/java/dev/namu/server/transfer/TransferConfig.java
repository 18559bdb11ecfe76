package dev.namu.server.transfer;

import java.util.Map;
import org.xbill.DNS.Name;

/**
 * The transfer settings of zones served from files, from the config file and the command line
 * ({@code transfer.allow}, {@code transfer.also-notify}); stored zones keep theirs in the store.
 */
public record TransferConfig(Map<Name, ZoneTransferPolicy> zones) {
  public static final TransferConfig NONE = new TransferConfig(Map.of());

  public TransferConfig {
    zones = Map.copyOf(zones);
  }
}
