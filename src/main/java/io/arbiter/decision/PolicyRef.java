package io.arbiter.decision;

/** The exact policy version that routed a decision. */
public record PolicyRef(String id, String version) {}
