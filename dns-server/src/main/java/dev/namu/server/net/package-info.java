/**
 * Client address blocks, as every access rule names them (recursion, rate-limit exemptions, zone
 * transfers); depends on nothing else of namud's, so any package may use it.
 */
package dev.namu.server.net;
