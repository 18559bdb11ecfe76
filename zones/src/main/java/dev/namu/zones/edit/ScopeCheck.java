package dev.namu.zones.edit;

import dev.namu.zones.store.EditScope;
import java.util.Optional;
import org.xbill.DNS.Type;

/**
 * Whether a change stays inside what its author may change (RFC 2136 3.3: the requestor's
 * permission, checked before anything is applied, so a change partly outside the scope is refused
 * whole and changes nothing).
 */
public final class ScopeCheck {
  private ScopeCheck() {}

  /**
   * The first part of {@code change} outside {@code scope}, in words, or empty when all of it is
   * inside. Every record added or deleted counts; so does every prerequisite, since a prerequisite
   * alone is a probe of whether a name or RRset exists, which a scoped key has no business asking
   * of names it may not change. Deleting every RRset at a name (type ANY) needs a scope that allows
   * every type: it would delete records of types outside a narrower one.
   */
  public static Optional<ScopeRefusal> refusal(EditScope scope, ZoneChange change) {
    if (scope.unlimited()) {
      return Optional.empty();
    }
    if (!scope.coversZone(change.origin())) {
      return Optional.of(new ScopeRefusal(ScopeRefusal.Part.ZONE, "zone " + change.origin() + " is outside the scope"));
    }
    for (Prerequisite p : change.prerequisites()) {
      int type = typeOf(p);
      Optional<ScopeRefusal> out = outside(scope, change, p.name(), type, "prerequisite on");
      if (out.isPresent()) {
        return out;
      }
    }
    for (RecordOperation op : change.operations()) {
      int type = typeOf(op);
      Optional<ScopeRefusal> out = type == -1
          ? (scope.coversName(change.origin(), op.name()) && scope.types().isEmpty() ? Optional.empty()
              : Optional.of(new ScopeRefusal(
                  scope.coversName(change.origin(), op.name()) ? ScopeRefusal.Part.TYPE : ScopeRefusal.Part.NAME,
                  "deleting every record at " + op.name() + " is outside the scope")))
          : outside(scope, change, op.name(), type, op instanceof RecordOperation.Add ? "adding" : "deleting");
      if (out.isPresent()) {
        return out;
      }
    }
    return Optional.empty();
  }

  /**
   * Why a scope may not create, delete or replace the whole zone {@code origin} (a zone import), or
   * empty when it may: that writes every name and type in the zone, so a scope limited to some names
   * or types may not, whatever the zone holds today.
   */
  public static Optional<ScopeRefusal> wholeZoneRefusal(EditScope scope, org.xbill.DNS.Name origin) {
    if (!scope.coversZone(origin)) {
      return Optional.of(new ScopeRefusal(ScopeRefusal.Part.ZONE, "zone " + origin + " is outside the scope"));
    }
    if (scope.name().isPresent() || !scope.types().isEmpty()) {
      return Optional.of(new ScopeRefusal(scope.name().isPresent() ? ScopeRefusal.Part.NAME : ScopeRefusal.Part.TYPE,
          "creating, deleting or replacing the whole zone " + origin + " needs a scope of every name and type in it"));
    }
    return Optional.empty();
  }

  /** The type a prerequisite is about, ANY for one about the name alone. */
  private static int typeOf(Prerequisite p) {
    if (p instanceof Prerequisite.RRsetExists e) {
      return e.type();
    } else if (p instanceof Prerequisite.RRsetExistsWithValues v) {
      return v.type();
    } else if (p instanceof Prerequisite.RRsetDoesNotExist d) {
      return d.type();
    }
    return Type.ANY;
  }

  /** The type an operation adds or deletes, -1 for every type at its name. */
  private static int typeOf(RecordOperation op) {
    if (op instanceof RecordOperation.Add a) {
      return a.record().getType();
    } else if (op instanceof RecordOperation.Delete d) {
      return d.record().getType();
    } else if (op instanceof RecordOperation.DeleteRRset d) {
      return d.type();
    } else if (op instanceof RecordOperation.ReplaceRRset r) {
      return r.type();
    }
    return -1;
  }

  /** A name-only prerequisite (type ANY) needs the name in scope; a typed one the type too. */
  private static Optional<ScopeRefusal> outside(EditScope scope, ZoneChange change, org.xbill.DNS.Name name,
      int type, String what) {
    boolean nameIn = scope.coversName(change.origin(), name);
    boolean in = type == Type.ANY ? nameIn : scope.covers(change.origin(), name, type);
    return in ? Optional.empty()
        : Optional.of(new ScopeRefusal(nameIn ? ScopeRefusal.Part.TYPE : ScopeRefusal.Part.NAME,
            what + " " + name + (type == Type.ANY ? "" : " " + Type.string(type)) + " is outside the scope"));
  }
}
