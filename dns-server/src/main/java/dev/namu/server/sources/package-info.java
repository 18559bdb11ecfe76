/** Names of LAN devices from a hosts file and DHCP leases, published as generated zones. */
package dev.namu.server.sources;
