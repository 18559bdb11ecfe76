/** {@code namuctl cache ...}: the resolver cache of a running namud. */
package dev.namu.cli.cache;
