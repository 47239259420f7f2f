package dev.switchboard.internal.config;

/** One conditional-routing rule: when {@code query} matches, route to the target named {@code then}. */
public record Condition(Query query, String then, String pointer) {}
