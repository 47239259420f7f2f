/**
 * The response cache's parts: {@link dev.switchboard.internal.cache.CacheKey} (canonical hashing of a
 * call), {@link dev.switchboard.internal.cache.SemanticIndex} (bounded in-memory vectors),
 * {@link dev.switchboard.internal.cache.StreamAssembler} (a finished stream as one answer) and
 * {@link dev.switchboard.internal.cache.CachedAnswerEvents} (an answer replayed as a stream). The
 * stage that uses them is {@code internal.runtime.CacheStage}.
 */
package dev.switchboard.internal.cache;
