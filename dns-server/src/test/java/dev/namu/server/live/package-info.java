/** End-to-end tests of live editing: namud and namuctl as processes, dig and nsupdate, kill -9. */
package dev.namu.server.live;
