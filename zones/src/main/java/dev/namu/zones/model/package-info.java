/** Immutable zone data: snapshots of one zone, their nodes, and the problems found while building them. */
package dev.namu.zones.model;
