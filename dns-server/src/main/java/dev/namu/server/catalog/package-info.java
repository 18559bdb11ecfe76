/** Catalog zones (RFC 9432): the catalog namud publishes of its stored zones, and reading one. */
package dev.namu.server.catalog;
