/** Online signing of stored zones: keys, RRSIGs, the NSEC or NSEC3 chain and key rollovers. */
package dev.namu.zones.sign;
