package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A compiled condition query (Portkey's operators plus {@code $exists} and {@code $not}; every key
 * AND-ed; dotted paths and JsonPath). Evaluated against the query context
 * {@code {"metadata":{…},"params":{…},"url":{"pathname":"/v1/chat/completions"}}}.
 */
public interface Query {
    boolean matches(JsonNode context);

    /** The query as written (compact JSON), for explanations. */
    String describe();
}
