package io.arbiter.config;

/** A configuration document read at start-up: where it came from, and its text. */
public record SeedFile(String name, String text) {}
