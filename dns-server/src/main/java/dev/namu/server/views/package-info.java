/** Split horizon: views matched by client address or TSIG key, each laying its records over zones. */
package dev.namu.server.views;
