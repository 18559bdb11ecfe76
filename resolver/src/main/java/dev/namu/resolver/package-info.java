/** Recursive resolution for Namu: the {@link dev.namu.resolver.Resolver} API, its configuration and factory. */
package dev.namu.resolver;
