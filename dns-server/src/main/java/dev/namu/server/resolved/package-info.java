/** The resolver's answers as client replies, and those replies kept as wire bytes, served by copy, patch and TTL countdown. */
package dev.namu.server.resolved;
