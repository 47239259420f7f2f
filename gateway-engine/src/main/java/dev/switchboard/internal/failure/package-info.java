/**
 * Typed failures of an attempt: {@link dev.switchboard.internal.failure.FailureKind} (what the retry
 * loop, the fallback strategy and streams decide on) and {@link dev.switchboard.internal.failure.Failure}
 * (a kind with the trace's {@code errorClass} string and a message).
 */
package dev.switchboard.internal.failure;
