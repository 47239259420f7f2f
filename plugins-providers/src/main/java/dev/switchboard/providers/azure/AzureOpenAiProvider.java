package dev.switchboard.providers.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.OpenAiFormatReplies;
import dev.switchboard.providers.common.OpenAiStreamPassThrough;
import dev.switchboard.providers.common.PassThrough;
import dev.switchboard.providers.common.RealtimeHandshake;
import dev.switchboard.providers.common.RequiredCredentials;
import dev.switchboard.providers.common.UpstreamHeaders;
import dev.switchboard.providers.common.Uris;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamSink;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.UpstreamRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code azure-openai} provider: OpenAI models deployed in an Azure OpenAI resource.
 *
 * <pre>{@code
 * {"provider": "azure-openai", "api_key": "...", "resource_name": "acme",
 *  "deployment_id": "gpt-4o-prod", "api_version": "2024-10-21"}
 * // POST https://acme.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21
 * }</pre>
 *
 * <p>{@code custom_host} replaces {@code https://<resource>.openai.azure.com/openai}. With
 * {@code api_version: "v1"} (or {@code "preview"}) the newer v1 surface is used ({@code .../openai/v1/chat/completions},
 * no query, {@code model} set to {@code deployment_id} when given). A Realtime session
 * ({@link Endpoint#REALTIME}) gets its WebSocket handshake ({@code wss://…/openai/realtime?api-version=…&deployment=…}). Auth is {@code api-key}, or
 * {@code Authorization: Bearer} with an Entra ID token ({@code azure_ad_token}, or the api key as
 * token when {@code azure_auth_mode} is {@code entra}/{@code ad}).
 *
 * <p>Decision on {@code model}: on deployment URLs Azure ignores it, so the caller's body is sent
 * unchanged (no copy). Streams pass through, except Azure's prompt-filter-only chunks
 * ({@code choices: []} without usage), which are dropped: OpenAI clients read an empty
 * {@code choices} chunk as the usage chunk; and the asynchronous content filter's annotation chunks
 * (no {@code delta}, empty {@code id}/{@code model}/{@code object}, often after the finish chunk),
 * which are folded into the finish chunk: see {@link ContentFilterFolding}.
 *
 * <p>Images, audio, files, batches, fine-tuning and calls on existing objects pass through as made
 * (multipart uploads streamed, binary answers streamed back): deployment endpoints (images, audio)
 * at {@code .../openai/deployments/{deployment_id}/audio/transcriptions?api-version=...}, the others
 * at {@code .../openai/files?api-version=...} with the caller's query string kept
 * ({@code .../openai/files?limit=2&api-version=...}); on the v1 surface at
 * {@code .../openai/v1/<path>?<query>}. Image variations and moderations are not served by Azure.
 */
public final class AzureOpenAiProvider implements Provider {
    public static final String ID = "azure-openai";

    /** Endpoints whose answer is rebuilt as an OpenAI JSON object (and whose stream is folded). */
    private static final Set<Endpoint> TRANSLATED =
            EnumSet.of(Endpoint.CHAT_COMPLETIONS, Endpoint.COMPLETIONS, Endpoint.EMBEDDINGS);

    /** Endpoints addressed on a deployment: {@code .../deployments/{deployment_id}/images/generations}. */
    static final Set<Endpoint> DEPLOYMENT_ENDPOINTS = EnumSet.of(
            Endpoint.CHAT_COMPLETIONS,
            Endpoint.COMPLETIONS,
            Endpoint.EMBEDDINGS,
            Endpoint.IMAGES_GENERATIONS,
            Endpoint.IMAGES_EDITS,
            Endpoint.AUDIO_TRANSCRIPTIONS,
            Endpoint.AUDIO_TRANSLATIONS,
            Endpoint.AUDIO_SPEECH);

    /**
     * Every endpoint Azure OpenAI serves. Image variations and moderations are not offered by Azure
     * (a target failure naming the provider and the endpoint, so a fallback moves on); the Responses
     * API is another engineer's adapter.
     */
    static final Set<Endpoint> ENDPOINTS = EnumSet.of(
            Endpoint.CHAT_COMPLETIONS,
            Endpoint.COMPLETIONS,
            Endpoint.EMBEDDINGS,
            Endpoint.IMAGES_GENERATIONS,
            Endpoint.IMAGES_EDITS,
            Endpoint.AUDIO_TRANSCRIPTIONS,
            Endpoint.AUDIO_TRANSLATIONS,
            Endpoint.AUDIO_SPEECH,
            Endpoint.FILES,
            Endpoint.BATCHES,
            Endpoint.FINE_TUNING_JOBS,
            Endpoint.MODELS,
            Endpoint.REALTIME,
            Endpoint.PROXY);

    @Override
    public Set<String> ids() {
        return Set.of(ID);
    }

    @Override
    public Set<String> optionKeys(String providerId) {
        return Set.of("resource_name", "deployment_id", "api_version", "azure_auth_mode", "azure_ad_token");
    }

    @Override
    public List<String> validateOptions(String providerId, ObjectNode options) {
        List<String> problems = new ArrayList<>();
        boolean v1 = isV1(text(options, "api_version"));
        if (text(options, "resource_name") == null && text(options, "custom_host") == null) {
            problems.add("resource_name: is required (or give custom_host)");
        }
        if (text(options, "deployment_id") == null && !v1) {
            problems.add("deployment_id: is required");
        }
        if (text(options, "api_version") == null) {
            problems.add("api_version: is required (e.g. \"2024-10-21\", or \"v1\" for the v1 API)");
        }
        String mode = text(options, "azure_auth_mode");
        if (mode != null && !Set.of("api_key", "apikey", "entra", "ad").contains(mode.toLowerCase(Locale.ROOT))) {
            problems.add("azure_auth_mode: expected \"api_key\", \"entra\" or \"ad\", found \"" + mode + "\"");
        }
        if (!RequiredCredentials.present(options, "api_key")
                && !RequiredCredentials.present(options, "azure_ad_token")) {
            problems.add("api_key: "
                    + RequiredCredentials.apiKeyHint(
                            providerId, "an API key (or an Entra ID token as azure_ad_token)"));
        }
        return problems;
    }

    @Override
    public Set<String> secretKeys(String providerId) {
        return Set.of("azure_ad_token");
    }

    @Override
    public boolean supports(String providerId, Endpoint endpoint) {
        return ENDPOINTS.contains(endpoint);
    }

    @Override
    public UpstreamRequest prepare(ProviderCall call) {
        String apiVersion = call.option("api_version");
        String deployment = call.option("deployment_id");
        if (apiVersion == null) {
            throw new ProviderException("api_version: is required for azure-openai");
        }
        String base = call.option("custom_host") != null ? call.baseUrl(null) : defaultBase(call);
        if (call.endpoint() == Endpoint.REALTIME) {
            return realtime(call, base, apiVersion, deployment);
        }
        Map<String, String> h = UpstreamHeaders.json(call);
        auth(call, h);
        if (!TRANSLATED.contains(call.endpoint())) {
            return PassThrough.request(call, Uris.of(passThroughUrl(call, base, apiVersion, deployment)), h);
        }
        ObjectNode body = call.body();
        String url;
        if (isV1(apiVersion)) {
            // "preview" is the v1 surface's way to opt into preview features.
            url = base + "/v1" + call.endpoint().relativePath()
                    + ("preview".equals(apiVersion) ? "?api-version=preview" : "");
            if (deployment != null && !deployment.equals(body.path("model").asText(null))) {
                body = body.deepCopy();
                body.put("model", deployment);
                call.note("set model to deployment_id " + deployment + " for the Azure v1 API");
            }
        } else {
            if (deployment == null) {
                throw new ProviderException("deployment_id: is required for azure-openai");
            }
            url = base + "/deployments/" + encode(deployment) + call.endpoint().relativePath() + "?api-version="
                    + encode(apiVersion);
        }
        return UpstreamRequest.post(Uris.of(url), h, call.jsonBytes(body));
    }

    /**
     * The Realtime handshake: {@code wss://<resource>.openai.azure.com/openai/realtime?api-version=…&deployment=…};
     * with {@code api_version} {@code v1} the GA surface {@code …/openai/v1/realtime?model=<deployment or model>}.
     * Auth as for other calls ({@code api-key}, or a Bearer Entra ID token).
     */
    private static UpstreamRequest realtime(ProviderCall call, String base, String apiVersion, String deployment) {
        Map<String, String> h = RealtimeHandshake.headers(call);
        auth(call, h);
        Map<String, String> q = new java.util.LinkedHashMap<>();
        if (isV1(apiVersion)) {
            String model = call.hasBody() ? call.body().path("model").asText(null) : null;
            q.put("model", deployment != null ? deployment : model);
            return RealtimeHandshake.request(call, base, "/v1/realtime", q, h);
        }
        if (deployment == null) {
            throw new ProviderException("deployment_id: is required for azure-openai");
        }
        q.put("api-version", apiVersion);
        q.put("deployment", deployment);
        return RealtimeHandshake.request(call, base, "/realtime", q, h);
    }

    private static void auth(ProviderCall call, Map<String, String> h) {
        String adToken = call.option("azure_ad_token");
        String mode = call.option("azure_auth_mode");
        boolean entra = mode != null && Set.of("entra", "ad").contains(mode.toLowerCase(Locale.ROOT));
        if (adToken != null) {
            UpstreamHeaders.bearer(h, adToken);
        } else if (entra) {
            UpstreamHeaders.bearer(h, call.apiKey());
        } else if (call.apiKey() != null) {
            h.put("api-key", call.apiKey());
        }
    }

    /**
     * The address of a call passed through as made (images, audio, files, batches, fine-tuning, calls
     * on existing objects): on the v1 surface the caller's path and query under {@code /openai/v1};
     * otherwise a deployment endpoint under {@code /openai/deployments/{deployment_id}} and everything
     * else under {@code /openai}, the caller's query kept and {@code api-version} added.
     */
    static String passThroughUrl(ProviderCall call, String base, String apiVersion, String deployment) {
        String rel = call.relativePathAndQuery();
        if (isV1(apiVersion)) {
            return base + "/v1" + rel
                    + ("preview".equals(apiVersion) ? (call.query() == null ? "?" : "&") + "api-version=preview" : "");
        }
        String prefix = "";
        if (DEPLOYMENT_ENDPOINTS.contains(call.endpoint())) {
            if (deployment == null) {
                throw new ProviderException("deployment_id: is required for azure-openai "
                        + call.endpoint().path());
            }
            prefix = "/deployments/" + encode(deployment);
        }
        return base + prefix + rel + (call.query() == null ? "?" : "&") + "api-version=" + encode(apiVersion);
    }

    @Override
    public ProviderReply translate(ProviderCall call, HttpReply reply) {
        if (!TRANSLATED.contains(call.endpoint())) {
            return PassThrough.translate(ID, reply);
        }
        return OpenAiFormatReplies.translate(ID, reply, null);
    }

    @Override
    public StreamTranslator streamTranslator(ProviderCall call) {
        return new OpenAiStreamPassThrough(ID, new ContentFilterFolding());
    }

    private static String defaultBase(ProviderCall call) {
        String resource = call.option("resource_name");
        if (resource == null) {
            throw new ProviderException("resource_name: is required for azure-openai (or give custom_host)");
        }
        return "https://" + resource + ".openai.azure.com/openai";
    }

    private static boolean isV1(String apiVersion) {
        return "v1".equals(apiVersion) || "preview".equals(apiVersion);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String text(ObjectNode options, String name) {
        JsonNode n = options.get(name);
        return n == null || !n.isTextual() || n.asText().isBlank() ? null : n.asText();
    }

    /**
     * Makes Azure's stream one that every OpenAI client accepts. Azure's asynchronous content filter
     * sends annotation chunks ({@code choices[].content_filter_results} and
     * {@code content_filter_offsets}, but no {@code delta}, and empty {@code id}, {@code object} and
     * {@code model}) while and after the text streams, also after the finish chunk; OpenAI SDKs reject
     * them (a choice without {@code delta}; the OpenAI Java SDK's accumulator refuses any chunk after
     * the final one). So:
     * <ul>
     *   <li>finish chunks (a choice with a {@code finish_reason}) and the usage chunk after them are
     *       held back until the stream ends, so annotations that arrive late can still be folded in;</li>
     *   <li>an annotation chunk is never forwarded: its {@code content_filter_results} are merged into
     *       its choice's finish chunk (a category already {@code filtered} or {@code detected} stays so),
     *       and an annotation with {@code finish_reason: "content_filter"} makes that the choice's finish
     *       reason, so a verdict that comes after the text still reaches the caller;</li>
     *   <li>prompt-filter-only chunks ({@code choices: []} without usage) are dropped.</li>
     * </ul>
     * Only the finish and usage chunks wait (until {@code [DONE]}); text is forwarded as it arrives.
     * Annotation chunks are recognised by {@code content_filter_offsets}, which Azure puts on each.
     */
    static final class ContentFilterFolding implements OpenAiStreamPassThrough.ChunkRewriter {
        /** Finish chunks, then the usage chunk, in arrival order. */
        private final List<ObjectNode> held = new ArrayList<>();
        /** Choice index → its held finish choice (to fold later annotations into). */
        private final Map<Integer, ObjectNode> finishedChoices = new HashMap<>();
        /** Annotations of choices whose finish chunk has not arrived yet: choice index → folded annotation. */
        private final Map<Integer, ObjectNode> pending = new HashMap<>();

        @Override
        public boolean wants(String data) {
            return !held.isEmpty()
                    || data.contains("\"choices\":[]")
                    || data.contains("\"finish_reason\":\"")
                    || data.contains("content_filter_offsets");
        }

        @Override
        public void rewrite(ObjectNode chunk, StreamSink sink) {
            JsonNode choices = chunk.path("choices");
            if (choices.isEmpty()) {
                JsonNode usage = chunk.get("usage");
                if (usage != null && usage.isObject()) {
                    if (held.isEmpty()) {
                        sink.emit(chunk);
                    } else {
                        held.add(chunk);
                    }
                }
                return; // prompt_filter_results only
            }
            if (isAnnotation(choices)) {
                for (JsonNode c : choices) {
                    fold((ObjectNode) c);
                }
                return;
            }
            boolean finishes = false;
            for (JsonNode c : choices) {
                if (c.path("finish_reason").isTextual()) {
                    finishes = true;
                    ObjectNode choice = (ObjectNode) c;
                    int index = choice.path("index").asInt(0);
                    finishedChoices.put(index, choice);
                    ObjectNode early = pending.remove(index);
                    if (early != null) {
                        merge(choice, early);
                    }
                }
            }
            if (finishes || !held.isEmpty()) {
                held.add(chunk);
            } else {
                sink.emit(chunk);
            }
        }

        @Override
        public void finish(StreamSink sink) {
            held.forEach(sink::emit);
            held.clear();
        }

        private static boolean isAnnotation(JsonNode choices) {
            for (JsonNode c : choices) {
                if (!c.isObject() || c.has("delta")) {
                    return false;
                }
            }
            return true;
        }

        private void fold(ObjectNode annotation) {
            int index = annotation.path("index").asInt(0);
            ObjectNode target = finishedChoices.get(index);
            if (target == null) {
                target = pending.computeIfAbsent(index, k -> Json.object());
            }
            merge(target, annotation);
        }

        /** Folds an annotation's verdicts into {@code target} (a finish choice, or a pending annotation). */
        private static void merge(ObjectNode target, ObjectNode annotation) {
            if ("content_filter".equals(annotation.path("finish_reason").asText(null))) {
                target.put("finish_reason", "content_filter");
            }
            JsonNode results = annotation.get("content_filter_results");
            if (results == null || !results.isObject()) {
                return;
            }
            JsonNode existing = target.get("content_filter_results");
            ObjectNode into = existing instanceof ObjectNode o ? o : target.putObject("content_filter_results");
            results.properties().forEach(e -> {
                JsonNode before = into.get(e.getKey());
                boolean flagged = before != null
                        && (before.path("filtered").asBoolean(false)
                                || before.path("detected").asBoolean(false));
                if (!flagged) {
                    into.set(e.getKey(), e.getValue().deepCopy());
                }
            });
        }
    }
}
