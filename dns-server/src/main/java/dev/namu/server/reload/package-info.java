/** Reloading while serving: the settings and the file zones read again; a bad file keeps what runs. */
package dev.namu.server.reload;
