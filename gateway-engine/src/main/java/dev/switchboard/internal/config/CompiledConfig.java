package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The result of compiling a config: the tree's root, the JSON it came from, and the warnings found
 * (doubts that do not make it invalid, such as a {@code cache.max_age} that looks like milliseconds).
 */
public record CompiledConfig(ConfigNode root, JsonNode source, List<String> warnings) {
    /** Copies the warnings. */
    public CompiledConfig {
        warnings = List.copyOf(warnings);
    }
}
