package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.PreparedCheck;

/**
 * One check of a hook: its id ({@code default.regexMatch}), parameters (read-only by contract),
 * {@code is_enabled}, and the check prepared with those parameters when the config was compiled
 * ({@link dev.switchboard.spi.GuardrailCheck#prepare}), which runs per request. {@code prepared} is
 * null only for specs built by hand; the hook runner then looks the check up by id per request.
 */
public record CheckSpec(String id, ObjectNode parameters, boolean enabled, PreparedCheck prepared) {

    /** A spec without a prepared check (the runner looks the check up by id and passes the parameters). */
    public CheckSpec(String id, ObjectNode parameters, boolean enabled) {
        this(id, parameters, enabled, null);
    }
}
