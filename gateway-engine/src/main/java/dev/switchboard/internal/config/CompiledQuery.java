package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.regex.RegexBudgetExceededException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Query} built by {@link QueryCompiler}: the compiled predicate and the query as written.
 * A {@code $regex} that exceeds its budget ({@link RegexBudgetExceededException}: the value is too
 * long, or the match backtracks without end) makes the whole query not match — the request goes on to
 * the next condition or the default — and is logged as a warning (the query, never the value).
 */
record CompiledQuery(Predicate<JsonNode> predicate, String describe) implements Query {
    private static final Logger LOG = LoggerFactory.getLogger(CompiledQuery.class);

    @Override
    public boolean matches(JsonNode context) {
        try {
            return predicate.test(context == null ? Json.object() : context);
        } catch (RegexBudgetExceededException e) {
            LOG.warn("condition {} does not match: {}", describe, e.getMessage());
            return false;
        }
    }

    @Override
    public String toString() {
        return describe;
    }
}
