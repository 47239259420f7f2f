package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;

/** The result of compiling a config: the tree's root and the JSON it came from. */
public record CompiledConfig(ConfigNode root, JsonNode source) {}
