package dev.switchboard.providers.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.ProviderTesting;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class BedrockProviderTest {
    static final String KEY_ID = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private final BedrockProvider provider = new BedrockProvider();

    static ProviderCall.Builder call(Endpoint endpoint, String body) {
        ObjectNode options = Json.object()
                .put("aws_region", "us-east-1")
                .put("aws_access_key_id", KEY_ID)
                .put("aws_secret_access_key", SECRET);
        return ProviderCall.builder("bedrock", endpoint)
                .body((ObjectNode) Json.parse(body))
                .options(options)
                .clock(CLOCK);
    }

    static ProviderCall chat(String body) {
        return call(Endpoint.CHAT_COMPLETIONS, body).build();
    }

    private JsonNode converseBody(ProviderCall call) {
        return Json.parse(provider.prepare(call).body());
    }

    @Test
    void plainChatIsASignedConversePostWithTheModelIdEncodedInThePath() throws Exception {
        ObjectNode options = Json.object()
                .put("aws_region", "us-east-1")
                .put("aws_access_key_id", KEY_ID)
                .put("aws_secret_access_key", SECRET)
                .put("aws_session_token", "TOKEN123");
        String in = "{\"model\":\"" + CLAUDE + "\",\"messages\":[{\"role\":\"system\",\"content\":\"Be terse.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":100,\"temperature\":0.5}";
        ProviderCall call = ProviderCall.builder("bedrock", Endpoint.CHAT_COMPLETIONS)
                .body((ObjectNode) Json.parse(in))
                .options(options)
                .clock(CLOCK)
                .forwardedHeader("x-trace", "abc")
                .forwardedHeader("Authorization", "Bearer evil")
                .build();

        UpstreamRequest req = provider.prepare(call);

        assertEquals("POST", req.method());
        assertEquals(
                "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse",
                req.uri().toString());
        assertEquals(
                Json.parse(
                        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}],"
                                + "\"system\":[{\"text\":\"Be terse.\"}],\"inferenceConfig\":{\"maxTokens\":100,\"temperature\":0.5}}"),
                Json.parse(req.body()));
        assertEquals("application/json", req.headers().get("content-type"));
        assertEquals("application/json", req.headers().get("accept"));
        assertEquals("abc", req.headers().get("x-trace"));
        assertEquals("20260102T030405Z", req.headers().get("x-amz-date"));
        assertEquals("TOKEN123", req.headers().get("x-amz-security-token"));
        assertFalse(req.headers().containsKey("host"), "the HTTP client sets Host itself");

        // expected signature computed here from a hand-written canonical request: path double-encoded,
        // forwarded non-x-amz headers unsigned
        String canonical = "POST\n/model/anthropic.claude-3-5-haiku-20241022-v1%253A0/converse\n\n"
                + "content-type:application/json\nhost:bedrock-runtime.us-east-1.amazonaws.com\n"
                + "x-amz-date:20260102T030405Z\nx-amz-security-token:TOKEN123\n\n"
                + "content-type;host;x-amz-date;x-amz-security-token\n" + hex(sha256(req.body()));
        String sts = "AWS4-HMAC-SHA256\n20260102T030405Z\n20260102/us-east-1/bedrock/aws4_request\n"
                + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] k = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), "20260102");
        k = hmac(hmac(hmac(k, "us-east-1"), "bedrock"), "aws4_request");
        assertEquals(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/us-east-1/bedrock/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="
                        + hex(hmac(k, sts)),
                req.headers().get("authorization"));
        assertFalse(req.toString().contains("TOKEN123"));
    }

    @Test
    void streamingChatUsesConverseStreamAndAsksForAnEventStream() {
        ProviderCall call = call(
                        Endpoint.CHAT_COMPLETIONS,
                        "{\"model\":\"" + CLAUDE
                                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .stream(true)
                .build();
        UpstreamRequest req = provider.prepare(call);
        assertTrue(
                req.uri().getRawPath().endsWith("/converse-stream"), req.uri().toString());
        assertEquals("application/vnd.amazon.eventstream", req.headers().get("accept"));
    }

    @Test
    void customHostReplacesTheRegionalEndpointAndArnsAreFullyEncoded() {
        ProviderCall call = call(
                        Endpoint.CHAT_COMPLETIONS,
                        "{\"model\":\"arn:aws:bedrock:us-east-1:123:inference-profile/p1\","
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .build();
        ObjectNode opts = call.options().deepCopy().put("custom_host", "http://127.0.0.1:9999/");
        call = ProviderCall.builder("bedrock", Endpoint.CHAT_COMPLETIONS)
                .body(call.body())
                .options(opts)
                .clock(CLOCK)
                .build();
        assertEquals(
                "http://127.0.0.1:9999/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123%3Ainference-profile%2Fp1/converse",
                provider.prepare(call).uri().toString());
    }

    @Test
    void aBedrockApiKeyIsSentAsBearerWhenNoAccessKeyIsConfigured() {
        ProviderCall call = ProviderCall.builder("bedrock", Endpoint.CHAT_COMPLETIONS)
                .body((ObjectNode)
                        Json.parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                .options(Json.object().put("aws_region", "eu-west-1").put("api_key", "bedrock-key"))
                .build();
        UpstreamRequest req = provider.prepare(call);
        assertEquals("Bearer bedrock-key", req.headers().get("authorization"));
        assertNull(req.headers().get("x-amz-date"));
    }

    @Test
    void missingCredentialsAreRefusedWith401() {
        ProviderCall call = ProviderCall.builder("bedrock", Endpoint.CHAT_COMPLETIONS)
                .body((ObjectNode)
                        Json.parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                .options(Json.object().put("aws_region", "eu-west-1"))
                .build();
        assertEquals(
                401,
                assertThrows(ProviderException.class, () -> provider.prepare(call))
                        .status());
    }

    @Test
    void base64ImageBecomesAnImageBytesBlock() {
        JsonNode body = converseBody(
                chat(
                        "{\"model\":\"" + CLAUDE + "\",\"messages\":[{\"role\":\"user\",\"content\":["
                                + "{\"type\":\"text\",\"text\":\"What is this?\"},"
                                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/jpeg;base64,/9j/4AAQ\",\"detail\":\"low\"}}]}]}"));
        assertEquals(
                Json.parse("[{\"role\":\"user\",\"content\":[{\"text\":\"What is this?\"},"
                        + "{\"image\":{\"format\":\"jpeg\",\"source\":{\"bytes\":\"/9j/4AAQ\"}}}]}]"),
                body.get("messages"));
    }

    @Test
    void webImageUrlIsRefusedWithAMessageNamingThePart() {
        ProviderException e = assertThrows(
                ProviderException.class,
                () -> provider.prepare(
                        chat(
                                "{\"model\":\"m\",\"messages\":["
                                        + "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]}]}")));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("messages[0].content[0]"), e.getMessage());
    }

    @Test
    void toolDefinitionsAndAToolResultTurnMapToToolConfigToolUseAndToolResult() {
        ProviderCall call = chat("{\"model\":\"" + CLAUDE + "\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather in Paris and Rome?\"},"
                + "{\"role\":\"assistant\",\"content\":\"Checking.\",\"tool_calls\":["
                + "{\"id\":\"t1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}},"
                + "{\"id\":\"t2\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"t1\",\"content\":\"{\\\"temp_c\\\":18}\"},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"t2\",\"content\":\"sunny\"},"
                + "{\"role\":\"user\",\"content\":\"Thanks\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Current weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}],"
                + "\"tool_choice\":\"required\"}");
        JsonNode body = converseBody(call);
        assertEquals(
                Json.parse("{\"tools\":[{\"toolSpec\":{\"name\":\"get_weather\",\"description\":\"Current weather\","
                        + "\"inputSchema\":{\"json\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}}],"
                        + "\"toolChoice\":{\"any\":{}}}"),
                body.get("toolConfig"));
        assertEquals(
                Json.parse("[{\"role\":\"user\",\"content\":[{\"text\":\"Weather in Paris and Rome?\"}]},"
                        + "{\"role\":\"assistant\",\"content\":[{\"text\":\"Checking.\"},"
                        + "{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}},"
                        + "{\"toolUse\":{\"toolUseId\":\"t2\",\"name\":\"get_weather\",\"input\":{\"city\":\"Rome\"}}}]},"
                        + "{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"t1\",\"content\":[{\"json\":{\"temp_c\":18}}],\"status\":\"success\"}},"
                        + "{\"toolResult\":{\"toolUseId\":\"t2\",\"content\":[{\"text\":\"sunny\"}],\"status\":\"success\"}},"
                        + "{\"text\":\"Thanks\"}]}]"),
                body.get("messages"));
    }

    @Test
    void namedToolChoiceBecomesToolAndNoneLeavesToolsOutWithANote() {
        String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]";
        JsonNode named = converseBody(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + tools + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}}"));
        assertEquals(
                Json.parse("{\"tool\":{\"name\":\"f\"}}"),
                named.path("toolConfig").get("toolChoice"));
        assertEquals(
                Json.parse("{\"json\":{\"type\":\"object\",\"properties\":{}}}"),
                named.path("toolConfig").path("tools").get(0).path("toolSpec").get("inputSchema"));

        ProviderCall none = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]," + tools
                + ",\"tool_choice\":\"none\"}");
        assertFalse(converseBody(none).has("toolConfig"));
        assertTrue(
                none.notes().stream().anyMatch(n -> n.startsWith("dropped tools")),
                none.notes().toString());
    }

    @Test
    void jsonSchemaResponseFormatIsEmulatedWithAForcedTool() {
        ProviderCall call =
                chat("{\"model\":\"" + CLAUDE + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Paris?\"}],"
                        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"city\",\"schema\":"
                        + "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}}}}");
        JsonNode tc = converseBody(call).get("toolConfig");
        JsonNode spec = tc.path("tools").get(0).path("toolSpec");
        assertEquals("json_response", spec.path("name").asText());
        assertEquals(
                Json.parse("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}"),
                spec.path("inputSchema").get("json"));
        assertEquals(Json.parse("{\"tool\":{\"name\":\"json_response\"}}"), tc.get("toolChoice"));
        assertTrue(
                call.notes().stream().anyMatch(n -> n.contains("emulated")),
                call.notes().toString());
    }

    @Test
    void stopSequencesTopPAndUserMapAndUnsupportedFieldsAreDroppedWithNotes() {
        ProviderCall call = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"stop\":\"END\",\"top_p\":0.9,\"temperature\":1.7,\"max_completion_tokens\":50,\"max_tokens\":99,"
                + "\"user\":\"u-1\",\"logit_bias\":{\"1\":2},\"seed\":7}");
        JsonNode body = converseBody(call);
        assertEquals(
                Json.parse("{\"maxTokens\":50,\"temperature\":1.0,\"topP\":0.9,\"stopSequences\":[\"END\"]}"),
                body.get("inferenceConfig"));
        assertEquals("u-1", body.path("requestMetadata").path("user").asText());
        List<String> notes = call.notes();
        assertTrue(notes.contains("dropped logit_bias: not supported by bedrock converse"), notes.toString());
        assertTrue(notes.contains("dropped seed: not supported by bedrock converse"), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("clamped temperature 1.7")), notes.toString());
    }

    @Test
    void reasoningEffortTurnsOnClaudeThinkingWithARoomyTokenLimit() {
        ProviderCall call =
                chat("{\"model\":\"us." + CLAUDE + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                        + "\"reasoning_effort\":\"medium\",\"max_tokens\":1000,\"temperature\":0.3}");
        JsonNode body = converseBody(call);
        assertEquals(
                Json.parse("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":4096}}"),
                body.get("additionalModelRequestFields"));
        assertTrue(body.path("inferenceConfig").path("maxTokens").asInt() > 4096);
        assertFalse(body.path("inferenceConfig").has("temperature"));

        ProviderCall other =
                chat("{\"model\":\"amazon.nova-pro-v1:0\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                        + "\"reasoning_effort\":\"high\"}");
        assertFalse(converseBody(other).has("additionalModelRequestFields"));
        assertTrue(other.notes().stream().anyMatch(n -> n.startsWith("dropped reasoning_effort")));
    }

    @Test
    void conversationStartingWithTheAssistantIsRefused() {
        ProviderException e = assertThrows(
                ProviderException.class,
                () -> provider.prepare(
                        chat(
                                "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":\"hello\"},{\"role\":\"user\",\"content\":\"x\"}]}")));
        assertTrue(e.getMessage().contains("start with a user message"), e.getMessage());
    }

    @Test
    void doesNotModifyTheCallersBody() {
        ProviderCall call =
                chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":[\"a\"]}");
        JsonNode before = call.body().deepCopy();
        provider.prepare(call);
        assertEquals(before, call.body());
    }

    // --- responses

    private ProviderReply answer(ProviderCall call, String converse) {
        return ProviderTesting.translate(
                provider,
                call,
                new HttpReply(200, Map.of("x-amzn-RequestId", "req-1"), converse.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void textAnswerBecomesAChatCompletion() {
        ProviderReply r = answer(
                chat("{\"model\":\"m\",\"messages\":[]}"),
                "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Hello\"},{\"text\":\" there\"}]}},"
                        + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":10,\"outputTokens\":3,\"totalTokens\":13},\"metrics\":{\"latencyMs\":5}}");
        assertEquals(200, r.status());
        ObjectNode b = r.body();
        assertEquals("chatcmpl-req-1", b.path("id").asText());
        assertEquals("chat.completion", b.path("object").asText());
        assertEquals(CLOCK.instant().getEpochSecond(), b.path("created").asLong());
        assertEquals("m", b.path("model").asText());
        assertEquals("Hello there", b.at("/choices/0/message/content").asText());
        assertEquals("stop", b.at("/choices/0/finish_reason").asText());
        assertEquals(13, b.at("/usage/total_tokens").asInt());
        OpenAiSchemaCheck.assertValid("CreateChatCompletionResponse", b);
    }

    @Test
    void toolUseAnswerBecomesToolCallsWithArgumentsAsAJsonString() {
        ProviderReply r = answer(
                chat("{\"model\":\"m\",\"messages\":[]}"),
                "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"toolUseId\":\"tooluse_1\","
                        + "\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}}]}},\"stopReason\":\"tool_use\","
                        + "\"usage\":{\"inputTokens\":1,\"outputTokens\":1}}");
        JsonNode msg = r.body().at("/choices/0/message");
        assertTrue(msg.get("content").isNull());
        assertEquals(
                Json.parse("[{\"id\":\"tooluse_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                        + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]"),
                msg.get("tool_calls"));
        assertEquals("tool_calls", r.body().at("/choices/0/finish_reason").asText());
        OpenAiSchemaCheck.assertValid("CreateChatCompletionResponse", r.body());
    }

    @Test
    void stopReasonsMapToOpenAiFinishReasons() {
        for (String[] c : new String[][] {
            {"max_tokens", "length"},
            {"guardrail_intervened", "content_filter"},
            {"content_filtered", "content_filter"},
            {"stop_sequence", "stop"},
            {"model_context_window_exceeded", "length"}
        }) {
            ProviderReply r = answer(
                    chat("{\"model\":\"m\",\"messages\":[]}"),
                    "{\"output\":{\"message\":{\"role\":\"assistant\","
                            + "\"content\":[{\"text\":\"cut\"}]}},\"stopReason\":\"" + c[0] + "\",\"usage\":{}}");
            assertEquals(c[1], r.body().at("/choices/0/finish_reason").asText(), c[0]);
            OpenAiSchemaCheck.assertValid("CreateChatCompletionResponse", r.body());
        }
    }

    @Test
    void cacheReadAndWriteTokensCountAsPromptTokensWithDetails() {
        ProviderReply r = answer(
                chat("{\"model\":\"m\",\"messages\":[]}"),
                "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"ok\"}]}},\"stopReason\":\"end_turn\","
                        + "\"usage\":{\"inputTokens\":296,\"outputTokens\":61,\"totalTokens\":1381,\"cacheReadInputTokens\":1024,"
                        + "\"cacheWriteInputTokens\":100}}");
        JsonNode u = r.body().get("usage");
        assertEquals(1420, u.path("prompt_tokens").asInt());
        assertEquals(61, u.path("completion_tokens").asInt());
        assertEquals(1481, u.path("total_tokens").asInt());
        assertEquals(1024, u.at("/prompt_tokens_details/cached_tokens").asInt());
        assertEquals(100, u.at("/prompt_tokens_details/cache_write_tokens").asInt());
        OpenAiSchemaCheck.assertValid("CreateChatCompletionResponse", r.body());
    }

    @Test
    void reasoningTextIsReturnedAsReasoningContentBesideTheAnswer() {
        ProviderReply r = answer(
                chat("{\"model\":\"m\",\"messages\":[]}"),
                "{\"output\":{\"message\":{\"role\":\"assistant\","
                        + "\"content\":[{\"reasoningContent\":{\"reasoningText\":{\"text\":\"think\",\"signature\":\"sig\"}}},"
                        + "{\"text\":\"answer\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":1,\"outputTokens\":9}}");
        assertEquals(
                "think", r.body().at("/choices/0/message/reasoning_content").asText());
        assertEquals("answer", r.body().at("/choices/0/message/content").asText());
        OpenAiSchemaCheck.assertValid("CreateChatCompletionResponse", r.body());
    }

    @Test
    void theJsonEmulationToolAnswerComesBackAsContent() {
        ProviderCall call = chat("{\"model\":\"m\",\"messages\":[],\"response_format\":{\"type\":\"json_object\"}}");
        ProviderReply r = answer(
                call,
                "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"toolUse\":"
                        + "{\"toolUseId\":\"x\",\"name\":\"json_response\",\"input\":{\"name\":\"Paris\"}}}]}},\"stopReason\":\"tool_use\",\"usage\":{}}");
        assertEquals(
                "{\"name\":\"Paris\"}",
                r.body().at("/choices/0/message/content").asText());
        assertFalse(r.body().at("/choices/0/message").has("tool_calls"));
        assertEquals("stop", r.body().at("/choices/0/finish_reason").asText());
    }

    @Test
    void throttlingErrorKeepsItsStatusAndIsFlaggedOverloaded() {
        ProviderReply r = ProviderTesting.translate(
                provider,
                chat("{\"model\":\"m\"}"),
                new HttpReply(
                        429,
                        Map.of(
                                "x-amzn-ErrorType",
                                "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"),
                        "{\"message\":\"Too many requests, please wait before trying again.\"}"
                                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(429, r.status());
        assertTrue(r.overloaded());
        assertEquals(
                "bedrock error: Too many requests, please wait before trying again.",
                r.body().at("/error/message").asText());
        assertEquals("ThrottlingException", r.body().at("/error/code").asText());
        assertEquals("rate_limit_error", r.body().at("/error/type").asText());
        assertEquals("bedrock", r.body().path("provider").asText());
    }

    @Test
    void validationErrorIsNotOverloadedAndReadsTheCapitalisedMessageField() {
        ProviderReply r = ProviderTesting.translate(
                provider,
                chat("{\"model\":\"m\"}"),
                new HttpReply(
                        400,
                        Map.of("x-amzn-errortype", "ValidationException"),
                        "{\"Message\":\"bad input\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, r.status());
        assertFalse(r.overloaded());
        assertEquals("bedrock error: bad input", r.body().at("/error/message").asText());
        assertEquals("ValidationException", r.body().at("/error/code").asText());
    }

    @Test
    void unavailableServiceIsOverloadedEvenWithoutABody() {
        ProviderReply r = ProviderTesting.translate(
                provider,
                chat("{\"model\":\"m\"}"),
                new HttpReply(503, Map.of("x-amzn-errortype", "ServiceUnavailableException:"), new byte[0]));
        assertEquals(503, r.status());
        assertTrue(r.overloaded());
    }

    @Test
    void malformedSuccessBodyIsA502() {
        ProviderReply r = ProviderTesting.translate(
                provider,
                chat("{\"model\":\"m\"}"),
                new HttpReply(200, Map.of(), "<html>".getBytes(StandardCharsets.UTF_8)));
        assertEquals(502, r.status());
    }

    // --- embeddings

    @Test
    void titanEmbeddingsInvokeTheModelAndComeBackAsAnOpenAiList() {
        ProviderCall call = call(
                        Endpoint.EMBEDDINGS,
                        "{\"model\":\"amazon.titan-embed-text-v2:0\",\"input\":[\"hello\"],\"dimensions\":256}")
                .build();
        UpstreamRequest req = provider.prepare(call);
        assertEquals("/model/amazon.titan-embed-text-v2%3A0/invoke", req.uri().getRawPath());
        assertEquals(Json.parse("{\"inputText\":\"hello\",\"dimensions\":256}"), Json.parse(req.body()));
        ProviderReply r = ProviderTesting.translate(
                provider,
                call,
                new HttpReply(
                        200,
                        Map.of(),
                        "{\"embedding\":[0.1,0.2],\"inputTextTokenCount\":2}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(
                Json.parse(
                        "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2]}],"
                                + "\"model\":\"amazon.titan-embed-text-v2:0\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}"),
                Json.parse(Json.text(r.body())));
        OpenAiSchemaCheck.assertValid("CreateEmbeddingResponse", r.body());
    }

    @Test
    void titanRefusesSeveralInputsNamingTheLimit() {
        ProviderException e = assertThrows(
                ProviderException.class,
                () -> provider.prepare(
                        call(Endpoint.EMBEDDINGS, "{\"model\":\"amazon.titan-embed-text-v1\",\"input\":[\"a\",\"b\"]}")
                                .build()));
        assertTrue(e.getMessage().contains("one text per request"), e.getMessage());
    }

    @Test
    void cohereEmbeddingsSendAllTextsAtOnce() {
        ProviderCall call = call(Endpoint.EMBEDDINGS, "{\"model\":\"cohere.embed-english-v3\",\"input\":[\"a\",\"b\"]}")
                .build();
        assertEquals(
                Json.parse("{\"texts\":[\"a\",\"b\"],\"input_type\":\"search_document\"}"),
                Json.parse(provider.prepare(call).body()));
        ProviderReply r = ProviderTesting.translate(
                provider,
                call,
                new HttpReply(
                        200,
                        Map.of("X-Amzn-Bedrock-Input-Token-Count", "4"),
                        "{\"id\":\"x\",\"embeddings\":[[1.0],[2.0]],\"response_type\":\"embeddings_floats\"}"
                                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, r.body().path("data").size());
        assertEquals(1, r.body().at("/data/1/index").asInt());
        assertEquals(4, r.body().at("/usage/prompt_tokens").asInt());
        OpenAiSchemaCheck.assertValid("CreateEmbeddingResponse", r.body());
    }

    // --- options and discovery

    @Test
    void validateOptionsRequiresARegionAndBothHalvesOfAnAccessKey() {
        assertEquals(
                List.of(
                        "aws_region: required for bedrock (e.g. \"us-east-1\")",
                        "aws_secret_access_key: required together with aws_access_key_id"),
                provider.validateOptions("bedrock", Json.object().put("aws_access_key_id", "AKID")));
        assertTrue(provider.validateOptions(
                        "bedrock",
                        Json.object()
                                .put("aws_region", "us-east-1")
                                .put("aws_access_key_id", "A")
                                .put("aws_secret_access_key", "S"))
                .isEmpty());
        assertEquals(
                java.util.Set.of("aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_region"),
                provider.optionKeys("bedrock"));
    }

    @Test
    void isDiscoveredThroughServiceLoader() {
        assertTrue(ServiceLoader.load(Provider.class).stream().anyMatch(p -> p.type() == BedrockProvider.class));
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
