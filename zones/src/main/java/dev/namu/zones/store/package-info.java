/** Persistent zone storage: the {@link dev.namu.zones.store.ZoneStore} contract, its journal and TSIG keys. */
package dev.namu.zones.store;
