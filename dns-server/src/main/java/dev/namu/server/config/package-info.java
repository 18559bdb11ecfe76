/** Server configuration: command-line flags, listen addresses and the zones served at start-up. */
package dev.namu.server.config;
