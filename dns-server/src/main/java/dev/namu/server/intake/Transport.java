package dev.namu.server.intake;

/** How a query arrived, which decides the largest reply we may send. */
public enum Transport {
  UDP,
  TCP
}
