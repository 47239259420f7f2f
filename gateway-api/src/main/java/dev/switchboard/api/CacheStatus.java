package dev.switchboard.api;

/** Values of {@code x-portkey-cache-status}. */
public enum CacheStatus {
    /** Served from the cache: the request matched a stored one exactly. */
    HIT("HIT"),
    /** Served from the cache: a stored request was similar enough (semantic mode). */
    SEMANTIC_HIT("SEMANTIC HIT"),
    /** Simple cache consulted, nothing stored; the provider answered. */
    MISS("MISS"),
    /** Semantic cache consulted, nothing similar enough; the provider answered. */
    SEMANTIC_MISS("SEMANTIC MISS"),
    /** The cache was skipped on purpose and the fresh answer stored ({@code x-portkey-cache-force-refresh}). */
    REFRESH("REFRESH"),
    /** No cache applies to this request. */
    DISABLED("DISABLED");

    private final String header;

    CacheStatus(String header) {
        this.header = header;
    }

    /** {@return the header value, e.g. {@code SEMANTIC HIT}} */
    public String header() {
        return header;
    }

    /** {@return whether the answer came from the cache (exact or semantic hit)} */
    public boolean isHit() {
        return this == HIT || this == SEMANTIC_HIT;
    }
}
