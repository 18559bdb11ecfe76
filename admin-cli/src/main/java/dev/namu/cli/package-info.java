/** {@code namuctl}, the admin command line: one class per command. */
package dev.namu.cli;
