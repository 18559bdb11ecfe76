package dev.namu.server.peers;

/** How a test query travels to the server. */
public enum Transport {
    UDP, TCP
}
