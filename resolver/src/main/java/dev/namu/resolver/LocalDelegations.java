package dev.namu.resolver;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Delegations in the zones the server itself serves. Iteration for a name below such a cut starts
 * at the cut's servers, from the zone's own NS records and glue, as BIND does with its
 * authoritative data: the parent zone is ours, so neither the root nor the server itself could
 * tell the resolver more.
 */
@FunctionalInterface
public interface LocalDelegations {

  /** No served zones (a resolver on its own). */
  LocalDelegations NONE = name -> Optional.empty();

  /** The closest delegation in a served zone above {@code name} (or at it), or empty. */
  Optional<Cut> find(Name name);

  /**
   * A zone cut: its name, the NS names of the delegation and the glue addresses the parent zone
   * holds for them (by NS name; names without glue are absent).
   */
  record Cut(Name zone, List<Name> nsNames, Map<Name, List<InetAddress>> glue) {
    public Cut {
      nsNames = List.copyOf(nsNames);
      glue = Map.copyOf(glue);
    }
  }
}
