/** The set of served zones, immutable, and the registry that swaps it atomically. */
package dev.namu.zones.registry;
