/** {@code namuctl explain}: how a running namud would answer a question for a client, and why. */
package dev.namu.cli.explain;
