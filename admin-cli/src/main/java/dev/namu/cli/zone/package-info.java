/** {@code namuctl zone ...} commands: checking (and later listing and editing) zones. */
package dev.namu.cli.zone;
