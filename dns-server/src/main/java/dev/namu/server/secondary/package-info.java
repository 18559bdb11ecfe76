/** namud as a secondary: zones transferred in from their primaries, kept fresh by SOA timers and NOTIFY. */
package dev.namu.server.secondary;
