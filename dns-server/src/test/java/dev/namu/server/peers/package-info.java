/** Test harness that runs peer DNS servers (NSD, Knot) on loopback and compares their answers with namud's. */
package dev.namu.server.peers;
