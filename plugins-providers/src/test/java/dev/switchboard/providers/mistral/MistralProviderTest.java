package dev.switchboard.providers.mistral;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.providers.common.OpenAiSamples;
import dev.switchboard.providers.common.ProviderTesting;
import dev.switchboard.providers.common.RecordingSink;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.UpstreamRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MistralProviderTest {
    private final MistralProvider provider = new MistralProvider();

    private static ProviderCall call(String body) {
        return ProviderCall.builder("mistral-ai", Endpoint.CHAT_COMPLETIONS)
                .body(json(body))
                .options(json("{\"api_key\":\"m-key\"}"))
                .clock(CLOCK)
                .build();
    }

    @Test
    void plainChatIsRewrittenToMistralsFieldsAndEveryDropIsRecorded() {
        ProviderCall c = call(OpenAiSamples.PLAIN_CHAT.replace("0.2", "1.9"));
        UpstreamRequest r = provider.prepare(c);
        assertEquals("https://api.mistral.ai/v1/chat/completions", r.uri().toString());
        assertEquals("Bearer m-key", r.headers().get("authorization"));
        ObjectNode b = parse(r.body());
        assertEquals(64, b.path("max_tokens").asInt());
        assertEquals(1.5, b.path("temperature").asDouble());
        assertEquals("system", b.path("messages").get(0).path("role").asText());
        assertFalse(b.path("messages").get(1).has("name"));
        assertFalse(b.has("x_vendor_knob"));
        assertTrue(
                c.notes().contains("dropped x_vendor_knob: not in Mistral's API (it rejects unknown fields)"),
                c.notes().toString());
    }

    @Test
    void seedBecomesRandomSeedAndJsonSchemaPasses() {
        ProviderCall c = call(OpenAiSamples.JSON_SCHEMA_CHAT);
        ObjectNode b = parse(provider.prepare(c).body());
        assertEquals(42, b.path("random_seed").asInt());
        assertFalse(b.has("seed"));
        assertFalse(b.has("user"));
        assertEquals(json(OpenAiSamples.JSON_SCHEMA_CHAT).get("response_format"), b.get("response_format"));
    }

    @Test
    void toolTurnAndImagePassWithRequiredAsAny() {
        ObjectNode b = parse(provider.prepare(call(OpenAiSamples.TOOL_TURN)).body());
        assertEquals("any", b.path("tool_choice").asText());
        assertEquals(json(OpenAiSamples.TOOL_TURN).get("messages"), b.get("messages"));
        assertEquals(2, b.path("tools").size());
        ObjectNode img = parse(provider.prepare(call(OpenAiSamples.IMAGE_CHAT)).body());
        assertEquals(json(OpenAiSamples.IMAGE_CHAT), img);
    }

    @Test
    void streamOptionsAreNotSentButUsageIsSplitIntoItsOwnChunk() {
        ObjectNode body = json(OpenAiSamples.PLAIN_CHAT);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        ProviderCall c = ProviderCall.builder("mistral-ai", Endpoint.CHAT_COMPLETIONS).body(body).stream(true)
                .build();
        assertFalse(parse(provider.prepare(c).body()).has("stream_options"));

        String[] events = {
            OpenAiSamples.STREAM_EVENTS[0],
            OpenAiSamples.STREAM_EVENTS[1],
            OpenAiSamples.STREAM_EVENTS[2],
            OpenAiSamples.STREAM_EVENTS[3],
            OpenAiSamples.STREAM_EVENTS[4],
            OpenAiSamples.STREAM_EVENTS[5],
            OpenAiSamples.STREAM_EVENTS[6],
            "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"tool_calls\"}],"
                    + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}"
        };
        RecordingSink sink = new RecordingSink();
        feedAwkwardly(provider.streamTranslator(c), sse(events), sink);
        assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        assertEquals(events.length + 1, sink.chunks.size());
        ObjectNode finish = sink.chunks.get(events.length - 1);
        assertEquals(
                "tool_calls",
                finish.path("choices").get(0).path("finish_reason").asText());
        assertFalse(finish.has("usage"));
        ObjectNode usage = sink.chunks.get(events.length);
        assertEquals(0, usage.path("choices").size());
        assertEquals(15, usage.path("usage").path("total_tokens").asInt());
        assertEquals("{\"city\":\"Paris\"}", sink.toolArguments(0));
        assertEquals("{\"tz\":\"CET\"}", sink.toolArguments(1));
        assertValidChunks(sink.chunks);
    }

    @Test
    void streamFinishReasonErrorFailsTheStream() {
        RecordingSink sink = new RecordingSink();
        String bad =
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"error\"}]}";
        feedAwkwardly(
                provider.streamTranslator(call(OpenAiSamples.PLAIN_CHAT)),
                sse(OpenAiSamples.STREAM_EVENTS[0], bad),
                sink);
        assertEquals(1, sink.failures.size());
        assertTrue(sink.failures.get(0).contains("finish_reason error"));
    }

    @Test
    void thinkingPartsAreReasoningContentInAnswersAndStreams() {
        ProviderReply r = ProviderTesting.translate(
                provider,
                call(OpenAiSamples.PLAIN_CHAT),
                reply(
                        200,
                        """
                {"id":"x","object":"chat.completion","created":1,"model":"magistral-medium-latest","choices":[{"index":0,
                  "message":{"role":"assistant","content":[{"type":"thinking","thinking":[{"type":"text","text":"The user says hi."}]},
                    {"type":"text","text":"Hello!"}]},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}"""));
        JsonNode message = r.body().at("/choices/0/message");
        assertEquals("Hello!", message.path("content").asText());
        assertEquals(
                "The user says hi.",
                message.path("reasoning_content").asText(),
                "as for Anthropic, Gemini and Bedrock");

        String[] events = {
            "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"magistral\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\","
                    + "\"text\":\"The user \"}]}]},\"finish_reason\":null}]}",
            "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"magistral\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"says hi.\"}]}]},"
                    + "\"finish_reason\":null}]}",
            "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"magistral\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"Hello!\"},\"finish_reason\":\"stop\"}]}"
        };
        RecordingSink sink = new RecordingSink();
        feedAwkwardly(provider.streamTranslator(call(OpenAiSamples.PLAIN_CHAT)), sse(events), sink);
        assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        StringBuilder reasoning = new StringBuilder();
        sink.chunks.forEach(
                c -> reasoning.append(c.at("/choices/0/delta/reasoning_content").asText("")));
        assertEquals("The user says hi.", reasoning.toString());
        assertEquals("Hello!", sink.text());
        assertValidChunks(sink.chunks);
    }

    @Test
    void answersAreCompletedToOpenAiShapeWithModelLengthAsLength() {
        ProviderReply r = ProviderTesting.translate(
                provider,
                call(OpenAiSamples.PLAIN_CHAT),
                reply(
                        200,
                        """
                {"id":"x","object":"chat.completion","created":1,"model":"mistral-small","choices":[{"index":0,
                  "message":{"role":"assistant","content":[{"type":"thinking","thinking":[]},{"type":"text","text":"Bonjour"}],"tool_calls":null},
                  "finish_reason":"model_length"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"""));
        assertEquals(200, r.status());
        assertEquals(
                "Bonjour",
                r.body().path("choices").get(0).path("message").path("content").asText());
        assertEquals(
                "length", r.body().path("choices").get(0).path("finish_reason").asText());
    }

    /** Tool calls as Mistral really sends them: no {@code type}; {@code arguments} a string or (its spec allows it) an object. */
    @ParameterizedTest
    @ValueSource(strings = {"\"{\\\"city\\\": \\\"Paris\\\"}\"", "{\"city\": \"Paris\"}"})
    void toolCallsWithoutTypeOrWithObjectArgumentsAreCompletedToOpenAisShape(String arguments) {
        ProviderReply r = ProviderTesting.translate(
                provider,
                call(OpenAiSamples.TOOL_TURN),
                reply(
                        200,
                        """
                {"id":"cmpl-e5","object":"chat.completion","created":1702256327,"model":"mistral-large-latest",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"","prefix":false,
                   "tool_calls":[{"id":"D681PevKs","function":{"name":"get_weather","arguments":%s},"index":0}]},
                   "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":90,"completion_tokens":22,"total_tokens":112}}"""
                                .formatted(arguments)));
        JsonNode call = r.body().at("/choices/0/message/tool_calls/0");
        assertEquals("function", call.path("type").asText());
        assertEquals(
                json("{\"city\":\"Paris\"}"),
                json(call.at("/function/arguments").asText()));
        assertValid("CreateChatCompletionResponse", r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"{\\\"city\\\": \\\"Paris\\\"}\"", "{\"city\": \"Paris\"}"})
    void streamedToolCallDeltasGetTypeAndTextArguments(String arguments) {
        ObjectNode body = json(OpenAiSamples.TOOL_TURN);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        ProviderCall c = ProviderCall.builder("mistral-ai", Endpoint.CHAT_COMPLETIONS).body(body).stream(true)
                .build();
        String[] events = {
            "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"mistral-large-latest\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
            "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"mistral-large-latest\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\",\"tool_calls\":[{\"id\":\"D681PevKs\","
                    + "\"function\":{\"name\":\"get_weather\",\"arguments\":" + arguments + "},\"index\":0}]},"
                    + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":90,\"completion_tokens\":22,\"total_tokens\":112}}"
        };
        RecordingSink sink = new RecordingSink();
        feedAwkwardly(provider.streamTranslator(c), sse(events), sink);
        assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        JsonNode first = sink.chunks.get(1).at("/choices/0/delta/tool_calls/0");
        assertEquals("function", first.path("type").asText(), "the delta that opens the call has its type");
        assertEquals(json("{\"city\":\"Paris\"}"), json(sink.toolArguments(0)));
        assertEquals(112, sink.chunks.get(2).at("/usage/total_tokens").asInt());
        assertValidChunks(sink.chunks);
    }

    @ParameterizedTest
    @ValueSource(strings = {OpenAiSamples.TEXT_ANSWER, OpenAiSamples.TOOL_ANSWER, OpenAiSamples.LENGTH_ANSWER})
    void openAiShapedAnswersValidate(String answer) {
        ProviderReply r = ProviderTesting.translate(
                provider,
                call(OpenAiSamples.PLAIN_CHAT),
                reply(200, answer.replace(",\"refusal\":null", "").replace("\"logprobs\":null,", "")));
        assertValid("CreateChatCompletionResponse", r.body());
    }

    @ParameterizedTest
    @ValueSource(ints = {422, 429, 500, 503})
    void errorsKeepStatusAndReadDetailOrMessage(int status) {
        String body = status == 422
                ? "{\"detail\":[{\"loc\":[\"body\",\"n\"],\"msg\":\"bad n\"}]}"
                : "{\"object\":\"error\",\"message\":\"Service tier capacity exceeded\",\"type\":\"service_tier_capacity_exceeded\",\"code\":\"3505\"}";
        ProviderReply r = ProviderTesting.translate(provider, call(OpenAiSamples.PLAIN_CHAT), reply(status, body));
        assertEquals(status, r.status());
        assertTrue(r.body().path("error").path("message").asText().startsWith("mistral-ai error: "));
        assertValid("ErrorResponse", r.body());
    }

    @Test
    void embeddingsRenameDimensionsAndDropUser() {
        ProviderCall c = ProviderCall.builder("mistral-ai", Endpoint.EMBEDDINGS)
                .body(json("{\"model\":\"mistral-embed\",\"input\":[\"a\"],\"dimensions\":256,\"user\":\"u\"}"))
                .build();
        UpstreamRequest r = provider.prepare(c);
        assertEquals("https://api.mistral.ai/v1/embeddings", r.uri().toString());
        ObjectNode b = parse(r.body());
        assertEquals(256, b.path("output_dimension").asInt());
        assertFalse(b.has("user"));
        ProviderReply answer = ProviderTesting.translate(
                provider,
                c,
                reply(
                        200,
                        """
                {"id":"e","object":"list","data":[{"object":"embedding","embedding":[0.1],"index":0}],
                 "model":"mistral-embed","usage":{"prompt_tokens":1,"total_tokens":1,"completion_tokens":0}}"""));
        assertValid("CreateEmbeddingResponse", answer.body());
    }
}
