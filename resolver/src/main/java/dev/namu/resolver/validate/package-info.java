/** DNSSEC validation of the resolver's answers (RFC 4033-4035, RFC 5155, RFC 6840). */
package dev.namu.resolver.validate;
