/**
 * DNS cookies (RFC 7873) with interoperable server cookies (RFC 9018): made and checked here, put
 * in every reply's OPT by the reply writer; a verified client is exempt from rate limiting.
 */
package dev.namu.server.cookies;
