/** Iteration from root hints: delegations, server selection, response classification, the resolution engine. */
package dev.namu.resolver.iterate;
