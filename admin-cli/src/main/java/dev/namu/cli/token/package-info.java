/** {@code namuctl token ...}: named admin API tokens, each limited to what one script may change. */
package dev.namu.cli.token;
