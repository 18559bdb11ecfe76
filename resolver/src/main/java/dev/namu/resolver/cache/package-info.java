/** Caffeine caches of the resolver: RRsets, answers (positive and negative), infrastructure (server RTT, EDNS, lameness). */
package dev.namu.resolver.cache;
