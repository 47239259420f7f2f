/**
 * The service-provider interfaces: providers, transports, guardrail checks, stores, sinks and
 * listeners, with the types they exchange. Helpers for implementations live in
 * {@link dev.switchboard.spi.support} and {@link dev.switchboard.spi.openai}.
 *
 * <p>Nullness: the package is {@link org.jspecify.annotations.NullMarked}: every parameter, return
 * value and record component is non-null unless it carries {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package dev.switchboard.spi;

import org.jspecify.annotations.NullMarked;
