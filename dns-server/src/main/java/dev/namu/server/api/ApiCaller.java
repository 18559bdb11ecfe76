package dev.namu.server.api;

import dev.namu.zones.edit.RecordOperation;
import dev.namu.zones.edit.ScopeCheck;
import dev.namu.zones.edit.ScopeRefusal;
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
      ScopeRefusal outside = new ScopeRefusal(ScopeRefusal.Part.ZONE, "zone " + origin + " is outside the scope");
      throw ApiException.withFields(403, "forbidden", outside.message() + " (token " + name + " may change "
          + scope.describe() + ")", java.util.Map.of("outside", outside.part().key()));
    }
  }

  /** Creating, deleting or replacing a whole zone (an import). */
  void requireWholeZone(Name origin) {
    ScopeCheck.wholeZoneRefusal(scope, origin).ifPresent(r -> {
      throw refused(r, r.message());
    });
  }

  /**
   * Every change of an edit, the PTR records made for it included (RFC 2136 3.3: all or nothing).
   * The first change is the edit asked for, the others the PTR changes in reverse zones that go with
   * its addresses: a refusal of one of those says so, since the caller never named that zone.
   */
  void requireChanges(List<ZoneChange> changes) {
    for (int i = 0; i < changes.size(); i++) {
      ZoneChange change = changes.get(i);
      Optional<ScopeRefusal> refusal = ScopeCheck.refusal(scope, change);
      if (refusal.isPresent()) {
        throw refused(refusal.get(), i == 0 ? refusal.get().message() : pointerRefusal(change, refusal.get()));
      }
    }
  }

  /** "the PTR 70.0.168.192.in-addr.arpa. for pc.lab.lan. that goes with the address is in zone ...". */
  private static String pointerRefusal(ZoneChange change, ScopeRefusal refusal) {
    String pointers = change.operations().stream()
        .map(op -> op.name() + (op instanceof RecordOperation.Add a ? " for " + a.record().rdataToString()
            : op instanceof RecordOperation.Delete d ? " for " + d.record().rdataToString() : ""))
        .distinct()
        .collect(java.util.stream.Collectors.joining(", "));
    return "the PTR " + pointers + " that namud keeps with the address is in zone " + change.origin()
        + ", outside the scope's " + (refusal.part() == ScopeRefusal.Part.ZONE ? "zones" : refusal.part().key() + "s")
        + " (send ptr: false, or --no-ptr, to leave the PTR alone)";
  }

  /** A 403 whose JSON error names the part of the scope the edit falls outside: zone, name or type. */
  private ApiException refused(ScopeRefusal refusal, String what) {
    return ApiException.withFields(403, "forbidden", what + " (token " + name + " may change " + scope.describe()
        + "); nothing was changed", java.util.Map.of("outside", refusal.part().key()));
  }

  private static ApiException forbidden(String message) {
    return new ApiException(403, "forbidden", message);
  }
}
