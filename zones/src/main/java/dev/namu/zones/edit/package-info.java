/** Live zone edits: {@link dev.namu.zones.edit.ZoneChange} data and the one-writer-per-zone {@link dev.namu.zones.edit.ZoneEditor}. */
package dev.namu.zones.edit;
