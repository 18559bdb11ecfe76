/** A {@link dev.namu.zones.store.ZoneStore} in memory, for tests and for running without a data directory. */
package dev.namu.zones.store.memory;
