package dev.switchboard.internal.config;

import java.util.List;

/** A node with {@code strategy} and {@code targets}. */
public record StrategyNode(
        String path,
        String pointer,
        String name,
        double weight,
        Settings settings,
        Strategy strategy,
        List<ConfigNode> targets)
        implements ConfigNode {

    public StrategyNode {
        targets = List.copyOf(targets);
    }

    /** The child whose {@code name} equals {@code name}, or null. */
    public ConfigNode targetNamed(String name) {
        for (ConfigNode t : targets) {
            if (name.equals(t.name())) {
                return t;
            }
        }
        return null;
    }
}
