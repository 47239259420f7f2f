/**
 * Virtual keys, limits, prices and request logs: {@link dev.switchboard.accounting.KeysFile} and
 * {@link dev.switchboard.api.KeyLimits} (in gateway-api) describe keys; {@link dev.switchboard.accounting.DefaultPricingCatalog}
 * and {@link dev.switchboard.accounting.CostCalculator} price usage;
 * {@link dev.switchboard.accounting.InMemoryStateStore} holds single-JVM counters; the log sinks
 * ({@link dev.switchboard.accounting.Slf4jLogSink}, {@link dev.switchboard.accounting.JsonlFileSink},
 * {@link dev.switchboard.accounting.InMemoryLogSink}) write {@link dev.switchboard.accounting.TraceJson}
 * lines, and {@link dev.switchboard.accounting.UsageReport} sums them.
 */
package dev.switchboard.accounting;
