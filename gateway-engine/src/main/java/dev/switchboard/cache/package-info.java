/**
 * The response cache's public parts: {@link dev.switchboard.cache.InMemoryCacheStore}, the default
 * {@link dev.switchboard.spi.CacheStore}, and {@link dev.switchboard.cache.GatewayEmbedder}, an
 * {@link dev.switchboard.spi.Embedder} for the semantic cache that calls a gateway's embeddings endpoint.
 */
package dev.switchboard.cache;
