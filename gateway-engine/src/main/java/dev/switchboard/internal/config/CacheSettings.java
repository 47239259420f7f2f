package dev.switchboard.internal.config;

/**
 * {@code cache}: mode {@code simple} or {@code semantic}; {@code max_age} in seconds (default 7 days);
 * {@code similarity_threshold} (our extension, semantic only, default 0.95).
 */
public record CacheSettings(Mode mode, long maxAgeSeconds, double similarityThreshold) {
    public static final long DEFAULT_MAX_AGE_SECONDS = 7 * 24 * 3600;
    public static final double DEFAULT_SIMILARITY_THRESHOLD = 0.95;

    /** Cache modes. */
    public enum Mode {
        SIMPLE,
        SEMANTIC
    }
}
