/** Server configuration: command-line flags, the config file, listen addresses and the zones served at start-up. */
package dev.namu.server.config;
