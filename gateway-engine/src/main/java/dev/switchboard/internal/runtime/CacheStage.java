package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Body;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.api.MultipartBody;
import dev.switchboard.api.Usage;
import dev.switchboard.cache.InMemoryCacheStore;
import dev.switchboard.cache.InMemoryVectorStore;
import dev.switchboard.internal.cache.CacheKey;
import dev.switchboard.internal.cache.CachedAnswerEvents;
import dev.switchboard.internal.config.CacheSettings;
import dev.switchboard.internal.stream.AnswerStream;
import dev.switchboard.spi.CacheStore;
import dev.switchboard.spi.CachedAnswer;
import dev.switchboard.spi.Embedder;
import dev.switchboard.spi.VectorStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response cache (DESIGN §3, §4): after the before-request hooks, before the retry loop.
 *
 * <p>Lookup: the exact key first ({@link CacheKey}); in semantic mode (chat and completions) then
 * the nearest cached prompt of the same partition by cosine similarity of embeddings, served when
 * it reaches the threshold. A hit costs nothing and calls nothing: it runs the after-request hooks
 * like any answer, is recorded as an attempt with cost 0, the cost it saved and the entry that
 * served it, and is replayed as an OpenAI stream when the caller asked for one.
 *
 * <p>Miss: the call goes on; a 2xx answer is stored (the provider's own answer, before after-hooks
 * rewrote it), a stream once it ended cleanly. Errors are never stored. A store that fails (Redis
 * down) makes the request a miss, never a failure.
 *
 * <p>Request headers: {@code x-portkey-cache-force-refresh: true} skips the lookup and stores the
 * fresh answer (status REFRESH); {@code x-portkey-cache-namespace} partitions the entries.
 */
final class CacheStage implements LeafStage {
    static final String FORCE_REFRESH = "x-portkey-cache-force-refresh";
    static final String NAMESPACE = "x-portkey-cache-namespace";
    /** Attribute names of a stored answer. */
    static final String ATTR_PROVIDER = "provider";

    static final String ATTR_MODEL = "model";
    static final String ATTR_USAGE = "usage";
    static final String ATTR_TARGET = "target";
    static final String ATTR_ENDPOINT = "endpoint";

    private static final Logger LOG = LoggerFactory.getLogger(CacheStage.class);

    private final CacheStore store;
    private final Embedder embedder;
    private final java.time.Clock clock;
    private final CostFunction costs;
    private final VectorStore index;

    CacheStage(CacheStore store, Embedder embedder, VectorStore vectors, java.time.Clock clock, CostFunction costs) {
        this.store = store != null ? store : new InMemoryCacheStore(clock, InMemoryCacheStore.DEFAULT_MAX_ENTRIES);
        this.embedder = embedder;
        this.clock = clock;
        this.costs = costs;
        this.index =
                vectors != null ? vectors : new InMemoryVectorStore(clock, InMemoryVectorStore.DEFAULT_MAX_ENTRIES);
    }

    /** Endpoints whose answers are cached: JSON requests with a deterministic answer. */
    static boolean cacheable(Endpoint e) {
        return e == Endpoint.CHAT_COMPLETIONS
                || e == Endpoint.COMPLETIONS
                || e == Endpoint.EMBEDDINGS
                || e == Endpoint.AUDIO_TRANSCRIPTIONS
                || e == Endpoint.AUDIO_TRANSLATIONS;
    }

    /**
     * File parts up to this size are hashed into the key of a multipart upload; a request with a
     * larger one is not cached (hashing it would read it once more per request, and a key without
     * its content could serve the answer of another file).
     */
    static final long MAX_HASHED_FILE = 4L << 20;

    /**
     * The key material of a multipart upload's file parts: name, file name, content type, size and
     * SHA-256 of each; null when a part is larger than {@link #MAX_HASHED_FILE} (or unreadable).
     */
    static ArrayNode fileDigests(MultipartBody form) {
        ArrayNode files = Json.array();
        for (MultipartBody.Part p : form.parts()) {
            if (!p.isFile()) {
                continue;
            }
            long size = p.size();
            if (size < 0 || size > MAX_HASHED_FILE) {
                return null;
            }
            MessageDigest sha;
            try (InputStream in = p.open()) {
                sha = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    sha.update(buf, 0, n);
                }
            } catch (IOException | java.io.UncheckedIOException | NoSuchAlgorithmException e) {
                return null;
            }
            files.addObject()
                    .put("name", p.name())
                    .put("filename", p.filename())
                    .put("content_type", p.contentType())
                    .put("size", size)
                    .put("sha256", java.util.HexFormat.of().formatHex(sha.digest()));
        }
        return files;
    }

    @Override
    public CompletableFuture<LeafResult> intercept(LeafChain chain) {
        LeafCall call = chain.call();
        CacheSettings settings = call.target.settings().cache();
        if (settings == null || call.body == null || !cacheable(call.request.endpoint)) {
            return chain.proceed(call);
        }
        long started = System.nanoTime();
        boolean semanticMode =
                settings.mode() == CacheSettings.Mode.SEMANTIC && Engine.isChatLike(call.request.endpoint);
        List<String> notes = new ArrayList<>(1);
        if (semanticMode && embedder == null) {
            // only a per-request config can get here: Gateway.build rejects a semantic config without one
            notes.add("semantic cache has no embedder (Gateway.builder().embedder(...)): exact matching only");
            semanticMode = false;
        }
        ArrayNode files = null;
        if (call.request.request.bodyView() == null) {
            // not JSON: a multipart form is keyed by its fields and small files; raw bytes are not cached
            Body content = call.request.request.content();
            files = content instanceof MultipartBody form ? fileDigests(form) : null;
            if (files == null) {
                return chain.proceed(call);
            }
            semanticMode = false;
        }
        String namespace = call.request.request.header(NAMESPACE).orElse(null);
        CacheKey key = CacheKey.of(
                call.request.endpoint, call.target.provider(), call.options, call.body, files, namespace, semanticMode);
        boolean semantic = semanticMode && key.partition() != null;
        boolean refresh = call.request
                .request
                .header(FORCE_REFRESH)
                .map(v -> v.trim().toLowerCase(Locale.ROOT).equals("true"))
                .orElse(false);
        if (refresh) {
            return miss(chain, call, settings, key, null, CacheStatus.REFRESH, notes);
        }
        Optional<Entry> exact = lookup(key.exact());
        if (exact.isPresent()) {
            return hit(chain, call, exact.get(), CacheStatus.HIT, started, notes, null);
        }
        CacheStatus missStatus = semanticMode ? CacheStatus.SEMANTIC_MISS : CacheStatus.MISS;
        if (!semantic) {
            return miss(chain, call, settings, key, null, missStatus, notes);
        }
        CompletableFuture<float[]> vector;
        try {
            vector = embedder.embed(key.embeddedText()).toCompletableFuture();
        } catch (RuntimeException e) {
            vector = CompletableFuture.failedFuture(e);
        }
        return vector.handle((v, e) -> {
                    if (e != null) {
                        Throwable t = ProviderCallStage.unwrap(e);
                        LOG.warn(
                                "semantic cache: the embedder failed ({}); treating the request as a miss",
                                t.toString());
                        notes.add("semantic cache: embedder failed: " + t.getMessage());
                        return (float[]) null;
                    }
                    return v;
                })
                .thenCompose(v -> {
                    if (v != null) {
                        Optional<VectorStore.Match> m = nearest(key.partition(), v, settings.similarityThreshold());
                        if (m.isPresent()) {
                            Optional<Entry> near = lookup(m.get().key());
                            if (near.isPresent()) {
                                return hit(
                                        chain,
                                        call,
                                        near.get(),
                                        CacheStatus.SEMANTIC_HIT,
                                        started,
                                        notes,
                                        String.format(
                                                Locale.ROOT,
                                                "similarity %.4f",
                                                m.get().similarity()));
                            }
                            forgetVector(m.get().key()); // the answer expired or was evicted
                        }
                    }
                    return miss(chain, call, settings, key, v, missStatus, notes);
                });
    }

    // ---------------------------------------------------------------- hit

    /**
     * A hit goes through the rest of the chain like any answer, with the provider call replaced by the
     * entry ({@link LeafCall#serving}): the after-hooks run on it in their one place, the retry stage
     * records it (cost 0, the cost it saved), and nothing is admitted or called. On the way back it
     * is replayed as an OpenAI stream when the caller asked for one.
     */
    private CompletableFuture<LeafResult> hit(
            LeafChain chain,
            LeafCall call,
            Entry entry,
            CacheStatus status,
            long started,
            List<String> notes,
            String detail) {
        CachedAnswer answer = entry.answer();
        String entryKey = entry.key();
        ObjectNode body = entry.body();
        Map<String, String> attrs = answer.attributes();
        String provider = attrs.getOrDefault(ATTR_PROVIDER, call.target.provider());
        String model = attrs.getOrDefault(ATTR_MODEL, call.model());
        Cost saved = savedCost(provider, model, attrs.get(ATTR_USAGE));
        List<String> n = new ArrayList<>(notes);
        n.add("served from cache entry " + shortKey(entryKey) + (detail == null ? "" : " (" + detail + ")")
                + ", stored " + answer.storedAt());
        LeafResult result = LeafResult.builder(200)
                .body(body)
                .provider(call.target.provider())
                .model(call.model())
                .upstreamNanos(System.nanoTime() - started)
                .saved(saved)
                .cacheStatus(status)
                .notes(n)
                .build();
        call.request.listener.cacheHit(call.target.path(), status);
        return chain.proceed(call.serving(result)).thenApply(r -> {
            if (!streams(call) || !r.isSuccess() || r.body() == null) {
                return r;
            }
            boolean includeUsage =
                    call.body.path("stream_options").path("include_usage").asBoolean(false);
            return LeafResult.builder(r.status()).headers(Map.of("content-type", "text/event-stream")).stream(
                            AnswerStream.replay(CachedAnswerEvents.of(r.body(), includeUsage)))
                    .provider(r.provider())
                    .model(r.model())
                    .upstreamNanos(r.upstreamNanos())
                    .saved(saved)
                    .cacheStatus(status)
                    .notes(r.notes())
                    .build();
        });
    }

    private Cost savedCost(String provider, String model, String usageJson) {
        if (usageJson == null) {
            return Cost.unknown("the cached answer has no usage");
        }
        try {
            Usage u = Usage.fromOpenAi(Json.parse(usageJson));
            return u == null ? Cost.unknown("the cached answer has no usage") : costs.cost(provider, model, u);
        } catch (RuntimeException e) {
            return Cost.unknown("unreadable usage on the cached answer");
        }
    }

    // ---------------------------------------------------------------- miss

    private CompletableFuture<LeafResult> miss(
            LeafChain chain,
            LeafCall call,
            CacheSettings settings,
            CacheKey key,
            float[] vector,
            CacheStatus status,
            List<String> notes) {
        // the cache wants the provider's own answer: kept before the after-hooks, or assembled from the stream
        return chain.proceed(call.needing(call.needs.andAnswer())).thenApply(r -> {
            LeafResult stored = r;
            if (r.stream() != null) {
                if (r.isSuccess()) {
                    // stored when the stream has ended cleanly, on its way back
                    stored = r.withStream(r.stream().mapEnd(end -> {
                        if (end.clean() && end.answer() != null) {
                            store(call, settings, key, vector, end.answer());
                        }
                        return end;
                    }));
                }
            } else if (r.isSuccess() && r.errorClass() == null && r.body() != null) {
                store(call, settings, key, vector, r.providerBody() != null ? r.providerBody() : r.body());
            }
            LeafResult.Builder out = stored.toBuilder().cacheStatus(status).providerBody(null);
            if (!notes.isEmpty()) {
                List<String> n = new ArrayList<>(r.notes());
                n.addAll(notes);
                out.notes(n);
            }
            return out.build();
        });
    }

    private void store(LeafCall call, CacheSettings settings, CacheKey key, float[] vector, ObjectNode answer) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put(ATTR_PROVIDER, call.target.provider());
        if (call.model() != null) {
            attrs.put(ATTR_MODEL, call.model());
        }
        JsonNode usage = answer.get("usage");
        if (usage != null && usage.isObject()) {
            attrs.put(ATTR_USAGE, Json.text(usage));
        }
        attrs.put(ATTR_TARGET, call.target.path());
        attrs.put(ATTR_ENDPOINT, call.request.endpoint.path());
        Instant now = clock.instant();
        Duration ttl = Duration.ofSeconds(settings.maxAgeSeconds());
        try {
            store.put(key.exact(), new CachedAnswer(Json.bytes(answer), attrs, now), ttl);
        } catch (RuntimeException e) {
            LOG.warn(
                    "cache store {} failed to store entry {}: {}",
                    store.getClass().getSimpleName(),
                    shortKey(key.exact()),
                    e.toString());
            return;
        }
        if (vector != null && key.partition() != null) {
            try {
                index.add(key.partition(), key.exact(), vector, now.plus(ttl));
            } catch (RuntimeException e) {
                LOG.warn(
                        "vector store {} failed to index entry {}: {}",
                        index.getClass().getSimpleName(),
                        shortKey(key.exact()),
                        e.toString());
            }
        }
    }

    /** The nearest cached prompt; a vector store that fails (Redis down) makes it a miss. */
    private Optional<VectorStore.Match> nearest(String partition, float[] vector, double threshold) {
        try {
            return index.nearest(partition, vector, threshold, clock.instant());
        } catch (RuntimeException e) {
            LOG.warn(
                    "vector store {} failed to search: {}; treating the request as a miss",
                    index.getClass().getSimpleName(),
                    e.toString());
            return Optional.empty();
        }
    }

    private void forgetVector(String key) {
        try {
            index.remove(key);
        } catch (RuntimeException e) {
            LOG.warn(
                    "vector store {} failed to remove entry {}: {}",
                    index.getClass().getSimpleName(),
                    shortKey(key),
                    e.toString());
        }
    }

    // ---------------------------------------------------------------- store access

    /** A stored answer found for a key, its body parsed. */
    private record Entry(String key, CachedAnswer answer, ObjectNode body) {}

    /** The readable entry under {@code key}; a store failure or an unreadable entry is a miss. */
    private Optional<Entry> lookup(String key) {
        Optional<CachedAnswer> found;
        try {
            found = store.get(key);
        } catch (RuntimeException e) {
            LOG.warn(
                    "cache store {} failed to read entry {}: {}; treating it as a miss",
                    store.getClass().getSimpleName(),
                    shortKey(key),
                    e.toString());
            return Optional.empty();
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode parsed = Json.parse(found.get().body());
            if (parsed.isObject()) {
                return Optional.of(new Entry(key, found.get(), (ObjectNode) parsed));
            }
        } catch (RuntimeException e) {
            // handled below
        }
        LOG.warn("cache entry {} is not a JSON object; removing it", shortKey(key));
        remove(key);
        return Optional.empty();
    }

    private void remove(String key) {
        try {
            store.remove(key);
        } catch (RuntimeException e) {
            LOG.warn(
                    "cache store {} failed to remove entry {}: {}",
                    store.getClass().getSimpleName(),
                    shortKey(key),
                    e.toString());
        }
    }

    /** The caller gets a stream (as {@link ProviderCallStage} decides it). */
    private static boolean streams(LeafCall call) {
        return call.request.stream && Engine.isChatLike(call.request.endpoint);
    }

    static String shortKey(String key) {
        return key.length() <= 12 ? key : key.substring(0, 12);
    }
}
