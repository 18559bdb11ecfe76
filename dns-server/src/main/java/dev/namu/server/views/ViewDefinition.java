package dev.namu.server.views;

import dev.namu.server.transfer.TransferAcl;
import java.net.InetAddress;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * One view as configured: its name and the clients it matches (BIND's match-clients), addresses or
 * CIDR ranges and TSIG key names, written as {@code --allow-transfer} writes them.
 */
public record ViewDefinition(String name, TransferAcl clients) {
  public ViewDefinition {
    Objects.requireNonNull(clients, "clients");
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
      throw new IllegalArgumentException("view name '" + name
          + "': use letters, digits, '-' and '_' (at most 64, starting with a letter or digit)");
    }
  }

  /** True when a request from {@code client}, signed with {@code key} (null: unsigned), is in the view. */
  public boolean matches(InetAddress client, Name key) {
    return clients.allows(client, key);
  }
}
