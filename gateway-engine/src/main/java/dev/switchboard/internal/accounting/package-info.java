/**
 * Admission control around a provider call: {@link dev.switchboard.internal.accounting.LimitEnforcer}
 * reserves a {@link dev.switchboard.internal.accounting.TokenEstimator} estimate against a key's
 * limits in the {@code StateStore} and settles it after the call. Not a public API.
 */
package dev.switchboard.internal.accounting;
