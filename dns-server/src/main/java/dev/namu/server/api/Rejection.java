package dev.namu.server.api;

/**
 * A request refused before it reached the router (no token, too big, not HTTP), passed down the
 * pipeline in place of the request so that its answer goes out in turn, after the answers to the
 * requests before it on the connection. The connection ends after it: the rest of the request may
 * still be arriving and is not read.
 */
record Rejection(ApiException reason) implements Turn {}
