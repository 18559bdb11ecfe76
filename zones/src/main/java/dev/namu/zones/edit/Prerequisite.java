package dev.namu.zones.edit;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A condition on the zone before an edit, RFC 2136 section 2.4; checked by the zone's writer against
 * the zone as it is when the edit runs, so no other edit can slip in between check and change.
 */
public sealed interface Prerequisite {

  Name name();

  /** 2.4.4: at least one RR with this owner exists; otherwise NXDOMAIN. */
  record NameInUse(Name name) implements Prerequisite {
    public NameInUse {
      Objects.requireNonNull(name, "name");
    }
  }

  /** 2.4.5: no RR of any type has this owner; otherwise YXDOMAIN. */
  record NameNotInUse(Name name) implements Prerequisite {
    public NameNotInUse {
      Objects.requireNonNull(name, "name");
    }
  }

  /** 2.4.1: an RRset of this type exists at the name; otherwise NXRRSET. */
  record RRsetExists(Name name, int type) implements Prerequisite {
    public RRsetExists {
      Objects.requireNonNull(name, "name");
    }
  }

  /** 2.4.2: the RRset exists and has exactly these RDATAs (TTL not compared); otherwise NXRRSET. */
  record RRsetExistsWithValues(Name name, int type, List<Record> records) implements Prerequisite {
    public RRsetExistsWithValues {
      Objects.requireNonNull(name, "name");
      records = List.copyOf(records);
    }
  }

  /** 2.4.3: no RRset of this type exists at the name; otherwise YXRRSET. */
  record RRsetDoesNotExist(Name name, int type) implements Prerequisite {
    public RRsetDoesNotExist {
      Objects.requireNonNull(name, "name");
    }
  }
}
