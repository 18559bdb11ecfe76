package dev.namu.zones.store;

import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * Which version of a stored zone the store holds: its serial, and a generation that is new each
 * time a zone of that name is created, so that a zone deleted and created again with the same serial
 * (by another namud sharing the store) still reads as changed; and the version of its signing (0:
 * not signed), new with each write of its keys, since a key change need not change the serial (a
 * KSK waiting for its DS is not in the zone yet).
 */
public record ZoneVersion(Name origin, long serial, long generation, long signing) {
  public ZoneVersion {
    Objects.requireNonNull(origin, "origin");
  }

  /** A zone not signed by namud. */
  public ZoneVersion(Name origin, long serial, long generation) {
    this(origin, serial, generation, 0);
  }
}
