package dev.switchboard.internal.config;

/**
 * A node of the compiled config tree: a strategy over child targets, or a leaf target (one provider
 * call). {@link #path()} is Portkey's option index ({@code config.targets[0].targets[1]});
 * {@link #pointer()} the JSON pointer used in error messages ({@code /targets/0/targets/1}).
 */
public sealed interface ConfigNode permits StrategyNode, TargetNode {
    String path();

    String pointer();

    /** {@code name} used by conditional routing; null when absent. */
    String name();

    /** Loadbalance weight (default 1; 0 = never picked). */
    double weight();

    /** Settings after inheritance from the ancestors. */
    Settings settings();
}
