/** Replay of Unbound .rpl resolver scenarios on a fake upstream transport and an injected clock. */
package dev.namu.resolver.replay;
