package dev.switchboard.providers.compat;

import static dev.switchboard.providers.common.ProviderTesting.CLOCK;
import static dev.switchboard.providers.common.ProviderTesting.assertValid;
import static dev.switchboard.providers.common.ProviderTesting.assertValidChunks;
import static dev.switchboard.providers.common.ProviderTesting.feedAwkwardly;
import static dev.switchboard.providers.common.ProviderTesting.json;
import static dev.switchboard.providers.common.ProviderTesting.parse;
import static dev.switchboard.providers.common.ProviderTesting.reply;
import static dev.switchboard.providers.common.ProviderTesting.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.providers.common.OpenAiSamples;
import dev.switchboard.providers.common.ProviderTesting;
import dev.switchboard.providers.common.RecordingSink;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.UpstreamRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiCompatibleProviderTest {
    private final OpenAiCompatibleProvider provider = new OpenAiCompatibleProvider();

    private static ProviderCall call(String id, String body, String options) {
        return ProviderCall.builder(id, Endpoint.CHAT_COMPLETIONS)
                .body(json(body))
                .options(json(options))
                .clock(CLOCK)
                .build();
    }

    @ParameterizedTest
    @CsvSource({
        "groq, https://api.groq.com/openai/v1/chat/completions",
        "together-ai, https://api.together.xyz/v1/chat/completions",
        "fireworks-ai, https://api.fireworks.ai/inference/v1/chat/completions",
        "deepseek, https://api.deepseek.com/chat/completions",
        "openrouter, https://openrouter.ai/api/v1/chat/completions",
        "perplexity-ai, https://api.perplexity.ai/chat/completions",
        "x-ai, https://api.x.ai/v1/chat/completions"
    })
    void eachProviderGetsItsBaseUrlAndBearerKey(String id, String url) {
        UpstreamRequest r = provider.prepare(call(id, OpenAiSamples.IMAGE_CHAT, "{\"api_key\":\"k-1\"}"));
        assertEquals(url, r.uri().toString());
        assertEquals("Bearer k-1", r.headers().get("authorization"));
        assertEquals("application/json", r.headers().get("content-type"));
        assertEquals(json(OpenAiSamples.IMAGE_CHAT), parse(r.body()), "image parts pass through");
    }

    @Test
    void groqDropsWhatItRejectsAndKeepsUnknownParams() {
        ProviderCall c = call(
                "groq",
                """
                {"model":"llama","messages":[{"role":"developer","content":"x"},{"role":"user","content":"hi","name":"ann"}],
                 "n":2,"logprobs":true,"logit_bias":{"1":2},"max_completion_tokens":5,"x_vendor_knob":1}""",
                "{\"api_key\":\"k\"}");
        ObjectNode b = parse(provider.prepare(c).body());
        assertFalse(b.has("n"));
        assertFalse(b.has("logprobs"));
        assertFalse(b.has("logit_bias"));
        assertFalse(b.path("messages").get(1).has("name"));
        assertEquals("system", b.path("messages").get(0).path("role").asText());
        assertEquals(5, b.path("max_completion_tokens").asInt(), "groq reads max_completion_tokens");
        assertEquals(1, b.path("x_vendor_knob").asInt());
        List<String> notes = c.notes();
        assertTrue(notes.contains("dropped n: groq returns a single choice"), notes.toString());
        assertTrue(notes.contains("dropped logit_bias: not supported by groq"), notes.toString());
        assertTrue(notes.contains("dropped messages[].name: rejected by groq"), notes.toString());
        assertEquals("developer", c.body().path("messages").get(0).path("role").asText(), "caller's body untouched");
    }

    @Test
    void togetherSendsMaxTokensAndKeepsToolTurnAndJsonSchema() {
        ProviderCall c = call("together-ai", OpenAiSamples.TOOL_TURN, "{\"api_key\":\"k\"}");
        ObjectNode b = parse(provider.prepare(c).body());
        assertEquals(json(OpenAiSamples.TOOL_TURN).get("tools"), b.get("tools"));
        assertEquals(json(OpenAiSamples.TOOL_TURN).get("messages"), b.get("messages"));
        ObjectNode js = parse(provider.prepare(call("together-ai", OpenAiSamples.JSON_SCHEMA_CHAT, "{}"))
                .body());
        assertEquals(json(OpenAiSamples.JSON_SCHEMA_CHAT), js);
        ProviderCall plain = call("together-ai", OpenAiSamples.PLAIN_CHAT, "{}");
        ObjectNode p = parse(provider.prepare(plain).body());
        assertEquals(64, p.path("max_tokens").asInt());
        assertFalse(p.has("max_completion_tokens"));
        assertTrue(plain.notes().contains("renamed max_completion_tokens to max_tokens: together-ai reads max_tokens"));
    }

    @Test
    void perplexityDropsToolsItCannotCall() {
        ProviderCall c = call("perplexity-ai", OpenAiSamples.TOOL_TURN, "{\"api_key\":\"k\"}");
        ObjectNode b = parse(provider.prepare(c).body());
        assertFalse(b.has("tools"));
        assertFalse(b.has("tool_choice"));
        assertTrue(c.notes().contains("dropped tools: perplexity-ai has no function calling"));
    }

    @Test
    void openRouterAddsAttributionHeadersFromOptions() {
        UpstreamRequest r = provider.prepare(call(
                "openrouter",
                OpenAiSamples.PLAIN_CHAT,
                "{\"api_key\":\"k\",\"http_referer\":\"https://acme.dev\",\"x_title\":\"Acme\"}"));
        assertEquals("https://acme.dev", r.headers().get("http-referer"));
        assertEquals("Acme", r.headers().get("x-title"));
        assertEquals(java.util.Set.of("http_referer", "x_title"), provider.optionKeys("openrouter"));
    }

    @Test
    void ollamaNeedsCustomHostSendsNoAuthAndAddsV1() {
        assertEquals(List.of("custom_host: is required for ollama"), provider.validateOptions("ollama", json("{}")));
        assertTrue(provider.validateOptions("ollama", json("{\"custom_host\":\"http://localhost:11434\"}"))
                .isEmpty());
        ProviderCall c = call("ollama", OpenAiSamples.TOOL_TURN, "{\"custom_host\":\"http://127.0.0.1:11434\"}");
        UpstreamRequest r = provider.prepare(c);
        assertEquals("http://127.0.0.1:11434/v1/chat/completions", r.uri().toString());
        assertNull(r.headers().get("authorization"));
        assertFalse(parse(r.body()).has("tool_choice"));
        assertEquals(
                "http://h:1/v1/embeddings",
                provider.prepare(ProviderCall.builder("ollama", Endpoint.EMBEDDINGS)
                                .body(json("{\"model\":\"nomic\",\"input\":\"x\"}"))
                                .options(json("{\"custom_host\":\"http://h:1/v1\"}"))
                                .build())
                        .uri()
                        .toString());
    }

    @Test
    void endpointSupportFollowsEachProvider() {
        assertTrue(provider.supports("together-ai", Endpoint.EMBEDDINGS));
        assertFalse(provider.supports("groq", Endpoint.EMBEDDINGS));
        assertFalse(provider.supports("perplexity-ai", Endpoint.COMPLETIONS));
        assertFalse(provider.supports("nope", Endpoint.CHAT_COMPLETIONS));
        assertEquals(8, provider.ids().size());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                OpenAiSamples.TEXT_ANSWER,
                OpenAiSamples.TOOL_ANSWER,
                OpenAiSamples.LENGTH_ANSWER,
                OpenAiSamples.FILTERED_ANSWER
            })
    void openAiShapedAnswersStayValid(String answer) {
        ProviderReply r = ProviderTesting.translate(
                provider, call("fireworks-ai", OpenAiSamples.PLAIN_CHAT, "{}"), reply(200, answer));
        assertEquals(200, r.status());
        assertValid("CreateChatCompletionResponse", r.body());
        assertEquals(
                json(answer).path("choices").get(0).path("finish_reason"),
                r.body().path("choices").get(0).path("finish_reason"));
    }

    @Test
    void deepSeekCacheHitsBecomeCachedTokensAndMissingFieldsAreFilled() {
        ProviderReply r = ProviderTesting.translate(
                provider,
                call("deepseek", OpenAiSamples.PLAIN_CHAT, "{}"),
                reply(
                        200,
                        """
                {"id":"d1","created":5,"model":"deepseek-chat","choices":[{"index":0,
                  "message":{"role":"assistant","content":"hi","reasoning_content":"think"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":100,"completion_tokens":3,"total_tokens":103,"prompt_cache_hit_tokens":64,"prompt_cache_miss_tokens":36}}"""));
        assertValid("CreateChatCompletionResponse", r.body());
        assertEquals(
                64,
                r.body()
                        .path("usage")
                        .path("prompt_tokens_details")
                        .path("cached_tokens")
                        .asInt());
        assertEquals(
                "think",
                r.body()
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("reasoning_content")
                        .asText());
    }

    @Test
    void deepSeekResourceShortageIsA503AndModelLengthIsLength() {
        ProviderReply r = ProviderTesting.translate(
                provider,
                call("deepseek", OpenAiSamples.PLAIN_CHAT, "{}"),
                reply(
                        200,
                        "{\"id\":\"d\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                                + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":\"insufficient_system_resource\"}]}"));
        assertEquals(503, r.status(), "PROVIDERS.md 2.2: insufficient_system_resource is an error/503");
        assertTrue(r.body().path("error").path("message").asText().contains("insufficient_system_resource"));
        assertEquals("api_error", r.body().path("error").path("type").asText());
        ProviderReply failed = ProviderTesting.translate(
                provider,
                call("together-ai", OpenAiSamples.PLAIN_CHAT, "{}"),
                reply(
                        200,
                        OpenAiSamples.TEXT_ANSWER.replace(
                                "\"finish_reason\":\"stop\"", "\"finish_reason\":\"error\"")));
        assertEquals(502, failed.status(), "any other failed generation stays a 502");
        ProviderReply len = ProviderTesting.translate(
                provider,
                call("x-ai", OpenAiSamples.PLAIN_CHAT, "{}"),
                reply(
                        200,
                        OpenAiSamples.TEXT_ANSWER.replace(
                                "\"finish_reason\":\"stop\"", "\"finish_reason\":\"model_length\"")));
        assertEquals(
                "length",
                len.body().path("choices").get(0).path("finish_reason").asText());
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503})
    void retryableErrorsKeepStatus(int status) {
        ProviderReply r = ProviderTesting.translate(
                provider,
                call("groq", OpenAiSamples.PLAIN_CHAT, "{}"),
                reply(status, "{\"error\":{\"message\":\"busy\",\"type\":\"server_error\"}}"));
        assertEquals(status, r.status());
        assertEquals("groq error: busy", r.body().path("error").path("message").asText());
        assertEquals("groq", r.body().path("provider").asText());
    }

    @Test
    void streamPassesThroughAndNormalisesDeepSeekUsageChunk() {
        String[] events = OpenAiSamples.STREAM_EVENTS.clone();
        events[events.length - 1] =
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15,\"prompt_cache_hit_tokens\":8}}";
        RecordingSink sink = new RecordingSink();
        String wire = ": keep-alive\n\n" + sse(events);
        feedAwkwardly(provider.streamTranslator(call("deepseek", OpenAiSamples.TOOL_TURN, "{}")), wire, sink);
        assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        assertEquals(events.length, sink.chunks.size());
        assertEquals(events.length - 2, sink.raw.size(), "only the finish and usage chunks are re-serialised");
        assertEquals(
                8,
                sink.chunks
                        .get(events.length - 1)
                        .path("usage")
                        .path("prompt_tokens_details")
                        .path("cached_tokens")
                        .asInt());
        assertEquals("{\"city\":\"Paris\"}", sink.toolArguments(0));
        assertEquals("{\"tz\":\"CET\"}", sink.toolArguments(1));
        assertValidChunks(sink.chunks);
    }

    @Test
    void openRouterMidStreamErrorFailsTheStream() {
        RecordingSink sink = new RecordingSink();
        String wire = ": OPENROUTER PROCESSING\n\ndata: " + OpenAiSamples.STREAM_EVENTS[0] + "\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"error\":{\"code\":502,\"message\":\"provider down\"},"
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"error\"}]}\n\n";
        feedAwkwardly(provider.streamTranslator(call("openrouter", OpenAiSamples.PLAIN_CHAT, "{}")), wire, sink);
        assertEquals(1, sink.failures.size());
        assertEquals("api_error: openrouter error: provider down", sink.failures.get(0));
    }

    @Test
    void streamCutBeforeDoneFails() {
        RecordingSink sink = new RecordingSink();
        feedAwkwardly(
                provider.streamTranslator(call("x-ai", OpenAiSamples.PLAIN_CHAT, "{}")),
                "data: " + OpenAiSamples.STREAM_EVENTS[1] + "\n\n",
                sink);
        assertEquals(List.of("stream_error: x-ai stream ended before [DONE]"), sink.failures);
    }
}
