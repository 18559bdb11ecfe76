/** {@code namuctl server ...}: status and reload of a running namud. */
package dev.namu.cli.server;
