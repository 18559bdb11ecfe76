package dev.namu.server.api;

/**
 * One whole request as the router sees it, already read and authenticated: nothing in it refers to
 * the connection it came on.
 *
 * @param rawPath the path, still percent-encoded
 * @param rawQuery the query string, still percent-encoded; null when there is none
 * @param caller the address the request came from (the client {@code explain} asks for by default)
 * @param who the token it came with, and what that token may do
 */
record ApiRequest(String method, String rawPath, String rawQuery, byte[] body, java.net.InetAddress caller,
    ApiCaller who) {}
