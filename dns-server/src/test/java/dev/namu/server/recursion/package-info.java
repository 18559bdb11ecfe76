/** Scenario tests of recursion: namud authoritative servers as a hierarchy, a recursive namud in front. */
package dev.namu.server.recursion;
