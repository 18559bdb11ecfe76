package dev.namu.server.api;

/**
 * One whole request as the router sees it, already read and authenticated: nothing in it refers to
 * the connection it came on.
 *
 * @param rawPath the path, still percent-encoded
 * @param rawQuery the query string, still percent-encoded; null when there is none
 */
record ApiRequest(String method, String rawPath, String rawQuery, byte[] body) {}
