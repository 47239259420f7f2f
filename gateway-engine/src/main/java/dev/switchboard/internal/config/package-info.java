/**
 * The compiled config: an immutable tree of {@link dev.switchboard.internal.config.ConfigNode}s with
 * every inherited setting resolved ({@link dev.switchboard.internal.config.Settings}). Built once by
 * {@link dev.switchboard.internal.config.ConfigCompiler}; requests only read it. Internal API.
 */
package dev.switchboard.internal.config;
