/** The {@link dev.namu.zones.store.ZoneStore} on a JDBC database: H2 embedded by default, schema by Flyway. */
package dev.namu.zones.store.jdbc;
