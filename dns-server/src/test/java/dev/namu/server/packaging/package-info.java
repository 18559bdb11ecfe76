/** Tests of the Debian package of the build: installed or unpacked, its systemd unit run as the service would be. */
package dev.namu.server.packaging;
