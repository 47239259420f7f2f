package dev.switchboard.internal.cache;

import dev.switchboard.ConfigException;
import dev.switchboard.internal.config.CacheSettings;
import dev.switchboard.internal.config.ConfigNode;
import dev.switchboard.internal.config.StrategyNode;
import dev.switchboard.spi.Embedder;

/**
 * Build-time check: a config that asks for the semantic cache needs an {@link Embedder}. Reported
 * at {@code build()} like any config error, naming the node that set the cache, rather than
 * quietly degrading to exact matching at request time.
 */
public final class SemanticCacheCheck {
    private SemanticCacheCheck() {}

    public static void requireEmbedder(ConfigNode root, Embedder embedder) {
        if (embedder != null) {
            return;
        }
        ConfigNode n = firstSemantic(root);
        if (n != null) {
            String pointer = n.settings().inheritedFrom().getOrDefault("cache", n.pointer());
            throw new ConfigException(
                    pointer + "/cache",
                    "mode \"semantic\" but the gateway has no embedder",
                    "an embedder for the semantic cache: Gateway.builder().embedder(new GatewayEmbedder(embeddingsGateway,"
                            + " \"text-embedding-3-small\")), or \"mode\": \"simple\"",
                    null);
        }
    }

    private static ConfigNode firstSemantic(ConfigNode node) {
        CacheSettings c = node.settings().cache();
        if (c != null && c.mode() == CacheSettings.Mode.SEMANTIC) {
            return node;
        }
        if (node instanceof StrategyNode s) {
            for (ConfigNode child : s.targets()) {
                ConfigNode found = firstSemantic(child);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
