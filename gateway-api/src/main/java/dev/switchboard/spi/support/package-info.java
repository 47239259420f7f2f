/**
 * Helpers for implementations of the {@link dev.switchboard.spi} interfaces, kept out of the SPI package
 * so that it holds contracts only: {@link dev.switchboard.spi.support.HookText} (the text a check or
 * mutator looks at and its replacement, Portkey's {@code getText}/{@code setCurrentContentPart}) and
 * {@link dev.switchboard.spi.support.SseDecoder} (an incremental server-sent-events parser for stream
 * translators and transports), and {@link dev.switchboard.spi.support.NearestName} (the one "did you mean"
 * rule of config errors and parameter validation).
 */
package dev.switchboard.spi.support;
