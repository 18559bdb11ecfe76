/** {@code namuctl explain}: how namud would answer a question for a client, and why, by its own pipeline's decision. */
package dev.namu.server.explain;
