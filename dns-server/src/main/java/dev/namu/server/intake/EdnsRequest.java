package dev.namu.server.intake;

/**
 * What a query's OPT record asked for (RFC 6891 6.1.2): the requester's UDP payload size, the EDNS
 * version and the DO bit (RFC 3225).
 */
public record EdnsRequest(int udpPayloadSize, int version, boolean dnssecOk) {}
