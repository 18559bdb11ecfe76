/** The admin HTTP API: JSON over loopback with a bearer token, for namuctl and scripts. */
package dev.namu.server.api;
