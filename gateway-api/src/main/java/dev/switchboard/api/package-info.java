/**
 * The request and answer model of the gateway: {@link dev.switchboard.api.GatewayRequest},
 * {@link dev.switchboard.api.GatewayResponse}, their parts, the trace and {@link dev.switchboard.api.Json}.
 *
 * <p>Nullness: the package is {@link org.jspecify.annotations.NullMarked}: every parameter, return
 * value and record component is non-null unless it carries {@link org.jspecify.annotations.Nullable}.
 * Optional values of the model are returned as {@link java.util.Optional} where the accessor says so.
 */
@NullMarked
package dev.switchboard.api;

import org.jspecify.annotations.NullMarked;
