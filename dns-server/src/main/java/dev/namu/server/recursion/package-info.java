/** Recursion in namud: who may recurse, the resolver's flags, and the handler that asks it. */
package dev.namu.server.recursion;
