/** RFC 1035 master (zone) files: parsing with file:line errors, loading one file or a directory of them. */
package dev.namu.zones.file;
