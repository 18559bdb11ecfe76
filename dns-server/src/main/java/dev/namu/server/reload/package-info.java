/** Reloading file zones while serving: a broken file keeps its old version, stored zones are untouched. */
package dev.namu.server.reload;
