package dev.switchboard.api;

import java.util.Locale;
import java.util.Optional;

/**
 * The OpenAI operations a gateway request can address, each with its HTTP method and path.
 *
 * <pre>{@code
 * Endpoint e = Endpoint.fromPath("POST", "/v1/chat/completions").orElseThrow(); // CHAT_COMPLETIONS
 * }</pre>
 */
public enum Endpoint {
    CHAT_COMPLETIONS("POST", "/v1/chat/completions", "chatComplete"),
    COMPLETIONS("POST", "/v1/completions", "complete"),
    EMBEDDINGS("POST", "/v1/embeddings", "embed"),
    IMAGES_GENERATIONS("POST", "/v1/images/generations", "imageGenerate"),
    IMAGES_EDITS("POST", "/v1/images/edits", "imageEdit"),
    IMAGES_VARIATIONS("POST", "/v1/images/variations", "imageVariation"),
    AUDIO_SPEECH("POST", "/v1/audio/speech", "createSpeech"),
    AUDIO_TRANSCRIPTIONS("POST", "/v1/audio/transcriptions", "createTranscription"),
    AUDIO_TRANSLATIONS("POST", "/v1/audio/translations", "createTranslation"),
    MODERATIONS("POST", "/v1/moderations", "moderate"),
    RESPONSES("POST", "/v1/responses", "createModelResponse"),
    FILES("POST", "/v1/files", "uploadFile"),
    BATCHES("POST", "/v1/batches", "createBatch"),
    FINE_TUNING_JOBS("POST", "/v1/fine_tuning/jobs", "createFinetune"),
    MODELS("GET", "/v1/models", "listModels"),
    /** Any other path: forwarded to the provider untouched. */
    PROXY("*", "/v1/*", "proxy");

    private final String method;
    private final String path;
    private final String portkeyName;

    Endpoint(String method, String path, String portkeyName) {
        this.method = method;
        this.path = path;
        this.portkeyName = portkeyName;
    }

    /** HTTP method, or {@code *} for {@link #PROXY}. */
    public String method() {
        return method;
    }

    /** Gateway path, e.g. {@code /v1/chat/completions}. */
    public String path() {
        return path;
    }

    /** The path without the {@code /v1} prefix, as providers append it to their base URL. */
    public String relativePath() {
        return path.substring(3);
    }

    /** Portkey's internal name for the endpoint ({@code chatComplete}), used in cache keys and hook contexts. */
    public String portkeyName() {
        return portkeyName;
    }

    /**
     * Finds the endpoint for a request line. Paths under {@code /v1/} that no endpoint owns map to
     * {@link #PROXY}; paths outside {@code /v1/} give an empty result.
     */
    public static Optional<Endpoint> fromPath(String method, String path) {
        if (method == null || path == null) {
            return Optional.empty();
        }
        String m = method.toUpperCase(Locale.ROOT);
        String p = path;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        for (Endpoint e : values()) {
            if (e != PROXY && e.method.equals(m) && e.path.equals(p)) {
                return Optional.of(e);
            }
        }
        return p.startsWith("/v1/") ? Optional.of(PROXY) : Optional.empty();
    }
}
