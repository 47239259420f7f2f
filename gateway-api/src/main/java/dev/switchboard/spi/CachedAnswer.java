package dev.switchboard.spi;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cached 2xx answer: the OpenAI-format JSON body and descriptive attributes (provider, model,
 * usage and cost of the original call, so a hit can report what it saved).
 *
 * @param body       the OpenAI-format JSON body
 * @param attributes provider, model, usage and cost of the call that produced it
 * @param storedAt   when the answer was stored
 */
public record CachedAnswer(byte[] body, Map<String, String> attributes, Instant storedAt) {
    /**
     * Copies the attributes, so the record stays immutable.
     *
     * @param body       the JSON body
     * @param attributes descriptive attributes; not null
     * @param storedAt   when the answer was stored
     */
    public CachedAnswer {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
