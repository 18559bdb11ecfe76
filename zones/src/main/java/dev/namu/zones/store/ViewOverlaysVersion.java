package dev.namu.zones.store;

/**
 * Which version of the views' records (every {@link ViewOverlay}) the store holds, without the
 * records: a namud sharing the store compares it a few times a second and reads the overlays again
 * only when it changed.
 *
 * @param records how many view records are stored
 * @param fingerprint a number that changes with every write of them, however many records it leaves
 */
public record ViewOverlaysVersion(long records, long fingerprint) {}
