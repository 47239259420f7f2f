package dev.switchboard.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One call the gateway made (or would have made) to a provider: every attempt is recorded, failed,
 * retried, timed out and cancelled ones too.
 *
 * @param targetPath   JSON path of the leaf, e.g. {@code config.targets[1]}
 * @param provider     provider id, e.g. {@code openai}
 * @param model        model asked for (after {@code override_params})
 * @param status       HTTP status seen by the caller for this attempt; 0 when no response arrived
 * @param latency      time from sending the request to the answer (or the failure)
 * @param retryNumber  0 for the first try of a leaf, n for its n-th retry
 * @param errorClass   null on success; otherwise a short class such as {@code timeout}, {@code network},
 *                     {@code http_503}, {@code stream_cut}, {@code hooks_failed}, {@code rate_limited}
 * @param errorMessage null on success; otherwise what went wrong, for a person
 * @param usage        tokens of this attempt, null when unknown
 * @param cost         cost of this attempt ({@link Cost#ZERO} for a cache hit)
 * @param saved        for a cache hit, the cost the hit avoided; null otherwise
 * @param startedAt    when the attempt started
 * @param cacheStatus  how the cache treated the attempt
 * @param notes        what a translating provider dropped or changed, and other decisions worth explaining
 * @param virtualKey   the registered key ({@code @openai-prod}) the attempt used, or null
 */
public record Attempt(
        String targetPath,
        String provider,
        String model,
        int status,
        Duration latency,
        int retryNumber,
        @Nullable String errorClass,
        @Nullable String errorMessage,
        @Nullable Usage usage,
        Cost cost,
        @Nullable Cost saved,
        Instant startedAt,
        CacheStatus cacheStatus,
        List<String> notes,
        @Nullable String virtualKey) {

    /**
     * Copies {@code notes}, so the record stays immutable.
     *
     * @param targetPath   JSON path of the leaf
     * @param provider     provider id
     * @param model        model asked for
     * @param status       HTTP status; 0 when no response arrived
     * @param latency      time from sending to the answer (or failure)
     * @param retryNumber  0 for the first try, n for the n-th retry
     * @param errorClass   null on success, else a short error class
     * @param errorMessage null on success, else what went wrong
     * @param usage        tokens, or null when unknown
     * @param cost         cost of the attempt
     * @param saved        for a cache hit, the cost avoided; else null
     * @param startedAt    when the attempt started
     * @param cacheStatus  how the cache treated the attempt
     * @param notes        what a translating provider dropped or changed; not null
     * @param virtualKey   the virtual key used, or null
     */
    public Attempt {
        notes = List.copyOf(notes);
    }

    /**
     * An attempt made without a virtual key; the parameters are the record components of the same name.
     *
     * @param targetPath   JSON path of the leaf
     * @param provider     provider id
     * @param model        model asked for
     * @param status       HTTP status; 0 when no response arrived
     * @param latency      time from sending to the answer (or failure)
     * @param retryNumber  0 for the first try, n for the n-th retry
     * @param errorClass   null on success, else a short error class
     * @param errorMessage null on success, else what went wrong
     * @param usage        tokens, or null when unknown
     * @param cost         cost of the attempt
     * @param saved        for a cache hit, the cost avoided; else null
     * @param startedAt    when the attempt started
     * @param cacheStatus  how the cache treated the attempt
     * @param notes        what a translating provider dropped or changed
     */
    public Attempt(
            String targetPath,
            String provider,
            String model,
            int status,
            Duration latency,
            int retryNumber,
            @Nullable String errorClass,
            @Nullable String errorMessage,
            @Nullable Usage usage,
            Cost cost,
            @Nullable Cost saved,
            Instant startedAt,
            CacheStatus cacheStatus,
            List<String> notes) {
        this(
                targetPath,
                provider,
                model,
                status,
                latency,
                retryNumber,
                errorClass,
                errorMessage,
                usage,
                cost,
                saved,
                startedAt,
                cacheStatus,
                notes,
                null);
    }

    /** {@return whether the attempt got a 2xx answer without an error} */
    public boolean succeeded() {
        return errorClass == null && status >= 200 && status < 300;
    }
}
