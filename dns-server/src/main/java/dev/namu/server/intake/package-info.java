/** Header triage and decoding of incoming DNS messages into requests, with the error replies for bad ones. */
package dev.namu.server.intake;
