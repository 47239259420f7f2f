package dev.switchboard.api;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI operations a gateway request can address, each with its HTTP method and path.
 *
 * <pre>{@code
 * Endpoint e = Endpoint.fromPath("POST", "/v1/chat/completions").orElseThrow(); // CHAT_COMPLETIONS
 * }</pre>
 */
public enum Endpoint {
    /** {@code POST /v1/chat/completions}: chat, the endpoint every provider adapter translates. */
    CHAT_COMPLETIONS("POST", "/v1/chat/completions", "chatComplete"),
    /** {@code POST /v1/completions}: legacy text completions. */
    COMPLETIONS("POST", "/v1/completions", "complete"),
    /** {@code POST /v1/embeddings}. */
    EMBEDDINGS("POST", "/v1/embeddings", "embed"),
    /** {@code POST /v1/images/generations}. */
    IMAGES_GENERATIONS("POST", "/v1/images/generations", "imageGenerate"),
    /** {@code POST /v1/images/edits}. */
    IMAGES_EDITS("POST", "/v1/images/edits", "imageEdit"),
    /** {@code POST /v1/images/variations}. */
    IMAGES_VARIATIONS("POST", "/v1/images/variations", "imageVariation"),
    /** {@code POST /v1/audio/speech}: text to speech. */
    AUDIO_SPEECH("POST", "/v1/audio/speech", "createSpeech"),
    /** {@code POST /v1/audio/transcriptions}: speech to text. */
    AUDIO_TRANSCRIPTIONS("POST", "/v1/audio/transcriptions", "createTranscription"),
    /** {@code POST /v1/audio/translations}: speech to English text. */
    AUDIO_TRANSLATIONS("POST", "/v1/audio/translations", "createTranslation"),
    /** {@code POST /v1/moderations}. */
    MODERATIONS("POST", "/v1/moderations", "moderate"),
    /** {@code POST /v1/responses}: OpenAI's Responses API. */
    RESPONSES("POST", "/v1/responses", "createModelResponse"),
    /** {@code POST /v1/files}: file upload. */
    FILES("POST", "/v1/files", "uploadFile"),
    /** {@code POST /v1/batches}. */
    BATCHES("POST", "/v1/batches", "createBatch"),
    /** {@code POST /v1/fine_tuning/jobs}. */
    FINE_TUNING_JOBS("POST", "/v1/fine_tuning/jobs", "createFinetune"),
    /** {@code GET /v1/models}. */
    MODELS("GET", "/v1/models", "listModels"),
    /**
     * {@code GET /v1/realtime}: a Realtime API session, a WebSocket ({@code Gateway.realtime}). For
     * this endpoint {@code Provider.prepare} returns the WebSocket handshake: a {@code GET} whose URI
     * is {@code ws://} or {@code wss://}, with the authentication headers and no body.
     */
    REALTIME("GET", "/v1/realtime", "realtime"),
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

    /** {@return the HTTP method, or {@code *} for {@link #PROXY}} */
    public String method() {
        return method;
    }

    /** {@return the gateway path, e.g. {@code /v1/chat/completions}} */
    public String path() {
        return path;
    }

    /** {@return the path without the {@code /v1} prefix, as providers append it to their base URL} */
    public String relativePath() {
        return path.substring(3);
    }

    /**
     * {@return Portkey's internal name for the endpoint ({@code chatComplete})} Used in cache keys and
     * hook contexts, where Portkey's checks expect it.
     */
    public String portkeyName() {
        return portkeyName;
    }

    /**
     * Finds the endpoint for a request line. Paths under {@code /v1/} that no endpoint owns map to
     * {@link #PROXY}; paths outside {@code /v1/} give an empty result.
     *
     * @param method the HTTP method, any case
     * @param path   the request path; a query string and trailing slashes are ignored
     * @return the endpoint, or empty for a null argument or a path outside {@code /v1/}
     */
    public static Optional<Endpoint> fromPath(@Nullable String method, @Nullable String path) {
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
