/** {@code namuctl record ...}: list, add, replace and delete records of a stored zone. */
package dev.namu.cli.record;
