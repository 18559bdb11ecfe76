package dev.namu.zones.store;

import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * Which version of a stored zone the store holds: its serial, and a generation that is new each
 * time a zone of that name is created, so that a zone deleted and created again with the same serial
 * (by another namud sharing the store) still reads as changed.
 */
public record ZoneVersion(Name origin, long serial, long generation) {
  public ZoneVersion {
    Objects.requireNonNull(origin, "origin");
  }
}
