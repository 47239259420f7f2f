/**
 * Guardrail and mutator hooks: {@link dev.switchboard.internal.hooks.HookRunner} runs one phase of
 * hooks, {@link dev.switchboard.internal.hooks.HookResultsJson} renders Portkey's {@code hook_results}.
 */
package dev.switchboard.internal.hooks;
