package dev.switchboard.api;

/** Values of {@code x-portkey-cache-status}. */
public enum CacheStatus {
    HIT("HIT"),
    SEMANTIC_HIT("SEMANTIC HIT"),
    MISS("MISS"),
    SEMANTIC_MISS("SEMANTIC MISS"),
    REFRESH("REFRESH"),
    DISABLED("DISABLED");

    private final String header;

    CacheStatus(String header) {
        this.header = header;
    }

    /** The header value, e.g. {@code SEMANTIC HIT}. */
    public String header() {
        return header;
    }

    public boolean isHit() {
        return this == HIT || this == SEMANTIC_HIT;
    }
}
