/** Tests of the README's namuctl reference and example against the real namuctl. */
package dev.namu.cli.docs;
