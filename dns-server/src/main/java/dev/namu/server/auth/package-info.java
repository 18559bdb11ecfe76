/** Authoritative replies: building, EDNS, encoding with truncation, and answers prepared per zone snapshot. */
package dev.namu.server.auth;
