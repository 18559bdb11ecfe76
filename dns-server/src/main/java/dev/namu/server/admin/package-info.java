/** Wires live zone editing into namud: the store in the data directory, the editor, the admin API, UPDATE and reload. */
package dev.namu.server.admin;
