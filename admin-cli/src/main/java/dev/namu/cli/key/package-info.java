/** {@code namuctl key ...}: TSIG keys (RFC 8945) that may send dynamic UPDATEs. */
package dev.namu.cli.key;
