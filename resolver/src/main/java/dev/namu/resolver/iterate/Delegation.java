package dev.namu.resolver.iterate;

import java.net.InetSocketAddress;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * Where to send queries for names at or below {@code zone}.
 *
 * @param zone the zone cut (bailiwick of the servers)
 * @param kind iterate (authoritative servers), or forward (recursive resolvers, RD set)
 * @param servers addresses known now
 * @param unresolved NS names whose addresses are not known (glueless delegation)
 * @param nsNames every NS name of the delegation (empty for configured servers)
 */
public record Delegation(Name zone, Kind kind, List<InetSocketAddress> servers, List<Name> unresolved,
    List<Name> nsNames) {

  /** How the servers of a delegation are asked. */
  public enum Kind {
    /** Authoritative servers found by iteration (or configured stubs/root hints). */
    ITERATE,
    /** Recursive resolvers: RD set, replies final, no referrals followed. */
    FORWARD
  }

  public Delegation {
    servers = List.copyOf(servers);
    unresolved = List.copyOf(unresolved);
    nsNames = List.copyOf(nsNames);
  }

  public boolean forwarding() {
    return kind == Kind.FORWARD;
  }
}
