package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One check of a hook: its id ({@code default.regexMatch}), parameters (read-only by contract) and {@code is_enabled}. */
public record CheckSpec(String id, ObjectNode parameters, boolean enabled) {}
