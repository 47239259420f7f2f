package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import java.util.function.Predicate;

/** A {@link Query} built by {@link QueryCompiler}: the compiled predicate and the query as written. */
record CompiledQuery(Predicate<JsonNode> predicate, String describe) implements Query {
    @Override
    public boolean matches(JsonNode context) {
        return predicate.test(context == null ? Json.object() : context);
    }

    @Override
    public String toString() {
        return describe;
    }
}
