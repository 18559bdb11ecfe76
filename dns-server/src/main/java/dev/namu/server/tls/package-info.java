/** The TLS certificate and key of DNS over TLS and DNS over HTTPS, read from PEM files and reloaded when they change. */
package dev.namu.server.tls;
