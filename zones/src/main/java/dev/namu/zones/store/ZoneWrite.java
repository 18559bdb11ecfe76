package dev.namu.zones.store;

import dev.namu.zones.sign.ZoneSigning;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** One zone's part of a {@link ZoneStore#commit} transaction. */
public sealed interface ZoneWrite {

  Name origin();

  /** Creates a zone that must not exist yet, or (with a serial) replaces all records of one that does. */
  record Put(Name origin, OptionalLong serialBefore, long serialAfter, List<Record> records)
      implements ZoneWrite {
    public Put {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(serialBefore, "serialBefore");
      records = List.copyOf(records);
    }
  }

  /** Removes and adds records of an existing zone whose stored serial is {@code serialBefore}. */
  record Patch(Name origin, long serialBefore, long serialAfter, List<Record> removed, List<Record> added)
      implements ZoneWrite {
    public Patch {
      Objects.requireNonNull(origin, "origin");
      removed = List.copyOf(removed);
      added = List.copyOf(added);
    }
  }

  /** Deletes a zone whose stored serial is {@code serialBefore}; its journal stays as history. */
  record Drop(Name origin, long serialBefore) implements ZoneWrite {
    public Drop {
      Objects.requireNonNull(origin, "origin");
    }
  }

  /**
   * Sets the keys and settings of an existing zone namud signs, or (empty) ends its signing: in the
   * same transaction as the records those keys signed, so a store never holds a zone signed with
   * keys it does not have, nor keys for records another writer's commit made stale.
   */
  record Signing(Name origin, Optional<ZoneSigning> signing) implements ZoneWrite {
    public Signing {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(signing, "signing");
      signing.ifPresent(s -> {
        if (!s.origin().equals(origin)) {
          throw new IllegalArgumentException("the signing of " + s.origin() + " written for " + origin);
        }
      });
    }
  }

  /**
   * Checks that the store holds {@code expected} as the zone's signing (empty: not signed) when the
   * writes that follow it in the commit run; else nothing of the commit is written and it throws
   * {@link StoreConflictException}. Put before a {@link Signing}: of two namud sharing the store that
   * change a zone's keys from the same ones (both taking one rollover step, a KSK rollover started
   * while the other steps the ZSK) one commits and the other reads the winner's keys, even when the
   * change leaves the records, and so the serial the commit also checks, as they were.
   */
  record SigningExpected(Name origin, Optional<ZoneSigning> expected) implements ZoneWrite {
    public SigningExpected {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(expected, "expected");
    }
  }
}
