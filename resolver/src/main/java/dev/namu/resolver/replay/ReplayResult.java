package dev.namu.resolver.replay;

/** Outcome of one scenario: passed, or the first failing step and why. */
public record ReplayResult(String scenario, boolean passed, String reason, int checks) {}
