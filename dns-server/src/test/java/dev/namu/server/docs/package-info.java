/** Tests of the project's documentation: the README's flags and commands are checked against namud. */
package dev.namu.server.docs;
