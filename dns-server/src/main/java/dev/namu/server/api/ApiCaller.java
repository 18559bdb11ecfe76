package dev.namu.server.api;

import dev.namu.zones.edit.ScopeCheck;
import dev.namu.zones.edit.ZoneChange;
import dev.namu.zones.store.EditScope;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Who made a request, and what it may do: the admin token may do anything; a named token may read
 * and edit the zones, names and types of its scope and nothing else. The one place the API checks a
 * scope: each refusal is a 403 with a JSON error, thrown before anything is changed.
 *
 * @param name the token's name ({@code api-token} for the admin token), written in the journal
 */
record ApiCaller(String name, boolean admin, EditScope scope) {

  /** The token in {@code DATA/api-token}. */
  static final ApiCaller ADMIN = new ApiCaller("api-token", true, EditScope.ANY);

  /** A named token, limited to {@code scope}. */
  static ApiCaller scoped(String name, EditScope scope) {
    return new ApiCaller(name, false, scope);
  }

  /** Who the journal says made an edit. */
  String actor() {
    return admin ? name : "token " + name;
  }

  /** Server settings, keys and tokens, the cache: the admin token's alone. */
  void requireAdmin(String what) {
    if (!admin) {
      throw forbidden(what + " needs the admin token (DATA/api-token); token " + name + " may only edit "
          + scope.describe());
    }
  }

  /** Reading a zone, or any request about it: the zone must be in scope. */
  void requireZone(Name origin) {
    if (!scope.coversZone(origin)) {
      throw forbidden("zone " + origin + " is outside the scope (token " + name + " may change "
          + scope.describe() + ")");
    }
  }

  /** Creating, deleting or replacing a whole zone (an import). */
  void requireWholeZone(Name origin) {
    refuseIf(ScopeCheck.wholeZoneRefusal(scope, origin));
  }

  /** Every change of an edit, the PTR records made for it included (RFC 2136 3.3: all or nothing). */
  void requireChanges(List<ZoneChange> changes) {
    for (ZoneChange change : changes) {
      refuseIf(ScopeCheck.refusal(scope, change));
    }
  }

  private void refuseIf(Optional<String> refusal) {
    if (refusal.isPresent()) {
      throw forbidden(refusal.get() + " (token " + name + " may change " + scope.describe()
          + "); nothing was changed");
    }
  }

  private static ApiException forbidden(String message) {
    return new ApiException(403, "forbidden", message);
  }
}
