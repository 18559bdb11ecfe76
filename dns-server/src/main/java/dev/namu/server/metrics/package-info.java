/** Prometheus metrics and health checks over namud's own counts, on a listener of their own. */
package dev.namu.server.metrics;
