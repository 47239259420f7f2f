package dev.switchboard.spi;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cached 2xx answer: the OpenAI-format JSON body and descriptive attributes (provider, model,
 * usage and cost of the original call, so a hit can report what it saved).
 */
public record CachedAnswer(byte[] body, Map<String, String> attributes, Instant storedAt) {
    public CachedAnswer {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
