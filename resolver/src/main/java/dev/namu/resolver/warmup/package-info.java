/** The JIT's warm-up of a fresh resolver: resolutions of a made-up hierarchy before the first real one. */
package dev.namu.resolver.warmup;
