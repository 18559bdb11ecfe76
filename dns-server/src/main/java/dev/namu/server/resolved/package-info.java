/** Recursive replies kept as wire bytes with their TTL fields, served by copy, patch and TTL countdown. */
package dev.namu.server.resolved;
