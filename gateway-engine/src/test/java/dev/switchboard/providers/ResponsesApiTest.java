package dev.switchboard.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Gateway;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import dev.switchboard.testkit.wire.AnthropicWire;
import dev.switchboard.testkit.wire.BedrockWire;
import dev.switchboard.testkit.wire.GeminiWire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Responses API ({@code POST /v1/responses}) on providers that only speak chat: Anthropic,
 * Gemini and Bedrock stubs answer in their own wire formats; every answer and stream event is
 * checked against OpenAI's OpenAPI schema.
 */
class ResponsesApiTest {
    private static final Map<String, String> EVENT_SCHEMAS = Map.ofEntries(
            Map.entry("response.created", "ResponseCreatedEvent"),
            Map.entry("response.in_progress", "ResponseInProgressEvent"),
            Map.entry("response.output_item.added", "ResponseOutputItemAddedEvent"),
            Map.entry("response.output_item.done", "ResponseOutputItemDoneEvent"),
            Map.entry("response.content_part.added", "ResponseContentPartAddedEvent"),
            Map.entry("response.content_part.done", "ResponseContentPartDoneEvent"),
            Map.entry("response.output_text.delta", "ResponseTextDeltaEvent"),
            Map.entry("response.output_text.done", "ResponseTextDoneEvent"),
            Map.entry("response.function_call_arguments.delta", "ResponseFunctionCallArgumentsDeltaEvent"),
            Map.entry("response.function_call_arguments.done", "ResponseFunctionCallArgumentsDoneEvent"),
            Map.entry("response.reasoning_summary_part.added", "ResponseReasoningSummaryPartAddedEvent"),
            Map.entry("response.reasoning_summary_part.done", "ResponseReasoningSummaryPartDoneEvent"),
            Map.entry("response.reasoning_summary_text.delta", "ResponseReasoningSummaryTextDeltaEvent"),
            Map.entry("response.reasoning_summary_text.done", "ResponseReasoningSummaryTextDoneEvent"),
            Map.entry("response.completed", "ResponseCompletedEvent"),
            Map.entry("response.incomplete", "ResponseIncompleteEvent"),
            Map.entry("response.failed", "ResponseFailedEvent"),
            Map.entry("error", "ResponseErrorEvent"));

    private final StubUpstream openai = StubUpstream.start();
    private final StubUpstream anthropic = StubUpstream.start();
    private final StubUpstream gemini = StubUpstream.start();
    private final StubUpstream bedrock = StubUpstream.start();
    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void stop() {
        gateways.forEach(Gateway::close);
        for (StubUpstream s : new StubUpstream[] {openai, anthropic, gemini, bedrock}) {
            s.close();
        }
    }

    private Gateway gateway(String config) {
        Gateway g = Gateway.builder().config(config).clock(ManualClock.start()).build();
        gateways.add(g);
        return g;
    }

    private String anthropicTarget() {
        return """
                {"provider": "anthropic", "api_key": "sk-ant", "custom_host": "%s/v1",
                 "override_params": {"model": "claude-sonnet-4-5", "max_tokens": 1024}}"""
                .formatted(anthropic.baseUrl());
    }

    private Gateway onAnthropic() {
        return gateway(anthropicTarget());
    }

    private Gateway onGemini() {
        return gateway(
                """
                {"provider": "google", "api_key": "AIza", "custom_host": "%s", "override_params": {"model": "gemini-2.5-flash"}}"""
                        .formatted(gemini.baseUrl()));
    }

    private Gateway onBedrock() {
        return gateway(
                """
                {"provider": "bedrock", "aws_region": "us-east-1", "aws_access_key_id": "AKID",
                 "aws_secret_access_key": "secret", "custom_host": "%s", "override_params": {"model": "%s"}}"""
                        .formatted(bedrock.baseUrl(), BedrockEndToEndTest.MODEL));
    }

    /** OpenAI first (failing), Anthropic as the fallback. */
    private Gateway openAiThenAnthropic() {
        return gateway(
                """
                {"strategy": {"mode": "fallback"}, "targets": [
                   {"provider": "openai", "api_key": "sk-oai", "custom_host": "%s"}, %s]}"""
                        .formatted(openai.openAiBaseUrl(), anthropicTarget()));
    }

    private static GatewayResponse create(Gateway g, String body) {
        return g.execute(GatewayRequest.builder(Endpoint.RESPONSES).body(body).build());
    }

    private static JsonNode valid(JsonNode response) {
        List<String> problems = OpenAiSchemas.shared().validate("Response", response);
        assertTrue(problems.isEmpty(), problems + " in " + response);
        return response;
    }

    private static String outputText(JsonNode response) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode item : response.path("output")) {
            if (item.path("type").asText().equals("message")) {
                for (JsonNode part : item.path("content")) {
                    sb.append(part.path("text").asText(""));
                }
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ answers

    @Test
    void textOnAnthropicIsAResponseWithInstructionsAsSystemAndUsage() {
        anthropic.enqueue(AnthropicWire.message("Hello from Claude"));
        GatewayResponse r = create(
                onAnthropic(),
                """
                {"model": "gpt-4o", "instructions": "Be brief.", "input": "Say hello",
                 "metadata": {"team": "search"}}""");
        assertEquals(200, r.status(), r.bodyAsString());
        JsonNode resp = valid(r.json());
        assertTrue(resp.path("id").asText().startsWith("resp_"));
        assertEquals("completed", resp.path("status").asText());
        assertEquals("Hello from Claude", outputText(resp));
        assertTrue(resp.path("output").path(0).path("id").asText().startsWith("msg_"));
        assertEquals("search", resp.path("metadata").path("team").asText());
        assertEquals("Be brief.", resp.path("instructions").asText());
        JsonNode usage = resp.path("usage");
        assertTrue(usage.path("input_tokens").asLong() > 0);
        assertEquals(
                usage.path("input_tokens").asLong()
                        + usage.path("output_tokens").asLong(),
                usage.path("total_tokens").asLong());
        JsonNode sent = anthropic.lastRequest().json();
        assertEquals("/v1/messages", anthropic.lastRequest().path());
        assertTrue(sent.path("system").toString().contains("Be brief."), sent.toString());
        assertEquals(
                "Say hello",
                sent.path("messages").path(0).path("content").toString().contains("Say hello")
                        ? "Say hello"
                        : sent.toString());
        assertEquals(1024, sent.path("max_tokens").asInt(), "override_params for chat still apply");
        Attempt a = r.trace().attempts().get(0);
        assertEquals(Endpoint.RESPONSES, r.trace().endpoint());
        assertEquals(usage.path("input_tokens").asLong(), a.usage().promptTokens());
    }

    @Test
    void toolCallRoundTripOnGemini() {
        Gateway g = onGemini();
        gemini.enqueue(GeminiWire.functionCall("get_weather", "{\"city\":\"Paris\"}"));
        String tools =
                """
                [{"type": "function", "name": "get_weather", "description": "Weather of a city",
                  "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]""";
        GatewayResponse first = create(
                g,
                """
                {"model": "gpt-4o", "input": "Weather in Paris?", "tools": %s}""".formatted(tools));
        JsonNode call = valid(first.json()).path("output").path(0);
        assertEquals("function_call", call.path("type").asText(), first.bodyAsString());
        assertEquals("get_weather", call.path("name").asText());
        assertEquals(
                "Paris",
                Json.parse(call.path("arguments").asText()).path("city").asText());
        assertTrue(call.path("id").asText().startsWith("fc_"));
        String callId = call.path("call_id").asText();
        assertFalse(callId.isEmpty());
        assertTrue(gemini.lastRequest().json().path("tools").toString().contains("get_weather"));

        gemini.enqueue(GeminiWire.text("It is sunny in Paris."));
        ObjectNode second = (ObjectNode) Json.parse(
                """
                {"model": "gpt-4o", "tools": %s, "input": [
                  {"role": "user", "content": "Weather in Paris?"},
                  %s,
                  {"type": "function_call_output", "call_id": "%s", "output": "{\\"sky\\":\\"sunny\\"}"}]}"""
                        .formatted(tools, call.toString(), callId));
        GatewayResponse answer = g.execute(
                GatewayRequest.builder(Endpoint.RESPONSES).body(second).build());
        assertEquals("It is sunny in Paris.", outputText(valid(answer.json())));
        String sent = gemini.lastRequest().json().toString();
        assertTrue(sent.contains("functionCall") && sent.contains("functionResponse"), sent);
        assertTrue(sent.contains("sunny"), sent);
    }

    @Test
    void jsonSchemaFormatReachesAnthropicAsStructuredOutput() {
        anthropic.enqueue(AnthropicWire.message("{\"city\":\"Paris\"}"));
        GatewayResponse r = create(
                onAnthropic(),
                """
                {"model": "gpt-4o", "input": "Capital of France as JSON",
                 "text": {"format": {"type": "json_schema", "name": "capital", "strict": true,
                   "schema": {"type": "object", "properties": {"city": {"type": "string"}},
                              "required": ["city"], "additionalProperties": false}}}}""");
        JsonNode resp = valid(r.json());
        assertEquals("Paris", Json.parse(outputText(resp)).path("city").asText());
        assertEquals(
                "json_schema", resp.path("text").path("format").path("type").asText());
        JsonNode sent = anthropic.lastRequest().json();
        assertEquals(
                "json_schema",
                sent.path("output_config").path("format").path("type").asText(),
                sent.toString());
    }

    @Test
    void reasoningEffortBecomesAnthropicThinkingAndComesBackAsAReasoningItem() {
        anthropic.enqueue(
                StubResponse.json(
                        200,
                        """
                {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                 "content": [{"type": "thinking", "thinking": "2 and 2 make 4.", "signature": "sig"},
                             {"type": "text", "text": "4"}],
                 "stop_reason": "end_turn", "stop_sequence": null,
                 "usage": {"input_tokens": 20, "output_tokens": 30}}"""));
        GatewayResponse r = create(
                onAnthropic(),
                """
                {"model": "gpt-4o", "input": "2+2?", "reasoning": {"effort": "low"}, "max_output_tokens": 4096}""");
        JsonNode resp = valid(r.json());
        JsonNode reasoning = resp.path("output").path(0);
        assertEquals("reasoning", reasoning.path("type").asText(), resp.toString());
        assertTrue(reasoning.path("id").asText().startsWith("rs_"));
        assertEquals(
                "2 and 2 make 4.",
                reasoning.path("summary").path(0).path("text").asText());
        assertEquals("4", outputText(resp));
        JsonNode sent = anthropic.lastRequest().json();
        assertEquals("enabled", sent.path("thinking").path("type").asText(), sent.toString());
        assertEquals(4096, sent.path("max_tokens").asInt());
    }

    @Test
    void imageInputReachesAnthropicAsAnImageBlock() {
        anthropic.enqueue(AnthropicWire.message("A red pixel"));
        GatewayResponse r = create(
                onAnthropic(),
                """
                {"model": "gpt-4o", "input": [{"role": "user", "content": [
                  {"type": "input_text", "text": "What is this?"},
                  {"type": "input_image", "image_url": "data:image/png;base64,iVBORw0KGgo=", "detail": "auto"}]}]}""");
        assertEquals("A red pixel", outputText(valid(r.json())));
        JsonNode content =
                anthropic.lastRequest().json().path("messages").path(0).path("content");
        assertTrue(
                content.toString().contains("\"image\"") && content.toString().contains("iVBORw0KGgo="),
                content.toString());
    }

    @Test
    void textOnBedrockAndMaxTokensIsIncomplete() {
        bedrock.enqueue(BedrockWire.converse("Hi from Bedrock"));
        JsonNode resp = valid(
                create(onBedrock(), "{\"model\": \"x\", \"input\": \"Hi\"}").json());
        assertEquals("Hi from Bedrock", outputText(resp));
        assertEquals("completed", resp.path("status").asText());

        anthropic.enqueue(
                StubResponse.json(
                        200,
                        """
                {"id": "msg_2", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                 "content": [{"type": "text", "text": "Once upon"}], "stop_reason": "max_tokens",
                 "stop_sequence": null, "usage": {"input_tokens": 5, "output_tokens": 2}}"""));
        JsonNode cut =
                valid(create(onAnthropic(), "{\"model\": \"x\", \"input\": \"A story\", \"max_output_tokens\": 2}")
                        .json());
        assertEquals("incomplete", cut.path("status").asText());
        assertEquals(
                "max_output_tokens",
                cut.path("incomplete_details").path("reason").asText());
    }

    // ------------------------------------------------------------------ fallbacks and state

    @Test
    void builtInToolFailsTheTranslatedTargetSoTheFallbackServesIt() {
        Gateway g = gateway(
                """
                {"strategy": {"mode": "fallback"}, "targets": [%s,
                   {"provider": "openai", "api_key": "sk-oai", "custom_host": "%s"}]}"""
                        .formatted(anthropicTarget(), openai.openAiBaseUrl()));
        openai.enqueue(
                StubResponse.json(
                        200,
                        """
                {"id": "resp_openai1", "object": "response", "created_at": 1, "status": "completed",
                 "model": "gpt-4o", "output": [], "usage": {"input_tokens": 3, "output_tokens": 4, "total_tokens": 7}}"""));
        GatewayResponse r = create(
                g,
                """
                {"model": "gpt-4o", "input": "News today?", "tools": [{"type": "web_search"}]}""");
        assertEquals(200, r.status());
        assertEquals("resp_openai1", r.json().path("id").asText());
        assertEquals(0, anthropic.hits(), "nothing is sent to a target that cannot serve the tool");
        Attempt refused = r.trace().attempts().get(0);
        assertEquals(400, refused.status());
        assertTrue(
                refused.errorMessage().contains("web_search")
                        && refused.errorMessage().contains("anthropic"),
                refused.errorMessage());
        assertEquals("/v1/responses", openai.lastRequest().path());
    }

    @Test
    void previousResponseIdContinuesAcrossAFallbackFromOpenAiToAnthropic() {
        Gateway g = openAiThenAnthropic();
        openai.enqueue(StubResponse.error(503, "down"));
        anthropic.enqueue(AnthropicWire.message("Paris."));
        JsonNode first = valid(create(g, "{\"model\": \"gpt-4o\", \"input\": \"Capital of France?\"}")
                .json());
        String id = first.path("id").asText();

        openai.enqueue(StubResponse.error(503, "still down"));
        anthropic.enqueue(AnthropicWire.message("Berlin."));
        JsonNode second = valid(create(
                        g,
                        """
                {"model": "gpt-4o", "previous_response_id": "%s", "input": "And Germany?"}"""
                                .formatted(id))
                .json());
        assertEquals("Berlin.", outputText(second));
        assertEquals(id, second.path("previous_response_id").asText());
        assertNotEquals(id, second.path("id").asText());
        // OpenAI got the whole conversation too (not an id it cannot know)
        JsonNode toOpenAi = openai.lastRequest().json();
        assertFalse(toOpenAi.has("previous_response_id"), toOpenAi.toString());
        assertEquals(3, toOpenAi.path("input").size(), toOpenAi.toString());
        JsonNode messages = anthropic.lastRequest().json().path("messages");
        assertEquals(3, messages.size(), messages.toString());
        assertEquals("assistant", messages.path(1).path("role").asText());
        assertTrue(messages.path(1).toString().contains("Paris."));
        assertTrue(messages.path(2).toString().contains("And Germany?"));

        // the gateway answers for the responses it produced
        String path = "/v1/responses/" + second.path("id").asText();
        GatewayResponse got = g.execute(GatewayRequest.builder("GET", path).build());
        assertEquals(second.toString(), valid(got.json()).toString());
        GatewayResponse items = g.execute(
                GatewayRequest.builder("GET", path + "/input_items?order=asc").build());
        List<String> problems = OpenAiSchemas.shared().validate("ResponseItemList", items.json());
        assertTrue(problems.isEmpty(), problems + " in " + items.json());
        assertEquals(3, items.json().path("data").size());
        assertTrue(items.json().path("data").path(2).toString().contains("And Germany?"));
        int openAiHits = openai.hits();
        assertTrue(g.execute(GatewayRequest.builder("DELETE", path).build())
                .json()
                .path("deleted")
                .asBoolean());
        assertEquals(openAiHits, openai.hits(), "answered by the gateway, not a provider");
        openai.enqueue(StubResponse.error(404, "No response found"));
        g.execute(GatewayRequest.builder("GET", path).build());
        assertEquals(openAiHits + 1, openai.hits(), "an id the gateway no longer keeps passes through");
        assertEquals(path, openai.lastRequest().path());
    }

    @Test
    void storeFalseKeepsNothing() {
        Gateway g = onAnthropic();
        anthropic.enqueue(AnthropicWire.message("ok"));
        String id = create(g, "{\"model\": \"x\", \"input\": \"hi\", \"store\": false}")
                .json()
                .path("id")
                .asText();
        GatewayResponse next =
                create(g, "{\"model\": \"x\", \"input\": \"more\", \"previous_response_id\": \"%s\"}".formatted(id));
        assertEquals(400, next.status());
        assertTrue(next.bodyAsString().contains("previous_response_id"), next.bodyAsString());
        assertEquals(1, anthropic.hits());
    }

    // ------------------------------------------------------------------ streams

    /** Reads a stream: every event named as its type, numbered 0, 1, 2, …, valid against its schema. */
    private static List<JsonNode> events(GatewayResponse r) {
        assertTrue(r.isStream(), r.toString());
        List<JsonNode> out = new ArrayList<>();
        try (EventStream s = r.stream()) {
            for (ServerSentEvent e : s) {
                assertFalse(e.isDone(), "a Responses stream has no [DONE]");
                JsonNode data = Json.parse(e.data());
                assertEquals(e.event(), data.path("type").asText(), "event: line and type agree");
                assertEquals(out.size(), data.path("sequence_number").asInt(), "sequence numbers increase by one");
                String schema = EVENT_SCHEMAS.get(e.event());
                assertTrue(schema != null, "unexpected event " + e.event());
                List<String> problems = OpenAiSchemas.shared().validate(schema, data);
                assertTrue(problems.isEmpty(), problems + " in " + data);
                out.add(data);
            }
        }
        return out;
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    @Test
    void textStreamOnAnthropicIsAValidResponsesEventStream() {
        Gateway g = onAnthropic();
        anthropic.enqueue(AnthropicWire.stream("Hel", "lo", " there"));
        GatewayResponse r = create(g, "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"stream\": true}");
        List<JsonNode> events = events(r);
        assertEquals(
                List.of(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added",
                        "response.output_text.delta",
                        "response.output_text.delta",
                        "response.output_text.delta",
                        "response.output_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.completed"),
                types(events));
        StringBuilder deltas = new StringBuilder();
        events.stream()
                .filter(e -> e.path("type").asText().equals("response.output_text.delta"))
                .forEach(e -> deltas.append(e.path("delta").asText()));
        JsonNode last = events.get(events.size() - 1).path("response");
        assertEquals(deltas.toString(), outputText(valid(last)));
        assertEquals("Hello there", deltas.toString());
        assertTrue(last.path("usage").path("output_tokens").asLong() > 0);
        assertEquals(events.get(0).path("response").path("id"), last.path("id"));
        Attempt a = r.trace().attempts().get(0);
        assertEquals(
                last.path("usage").path("output_tokens").asLong(), a.usage().completionTokens());
        // the streamed answer is kept like a whole one
        GatewayResponse got = g.execute(
                GatewayRequest.builder("GET", "/v1/responses/" + last.path("id").asText())
                        .build());
        assertEquals(last.toString(), got.json().toString());
    }

    @Test
    void toolCallStreamOnBedrockAssemblesItsArguments() {
        bedrock.enqueue(BedrockWire.toolUseStream("get_weather", "{\"city\":\"Paris\"}"));
        List<JsonNode> events = events(
                create(
                        onBedrock(),
                        """
                {"model": "x", "input": "Weather?", "stream": true, "tools": [{"type": "function", "name": "get_weather",
                  "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}]}"""));
        StringBuilder args = new StringBuilder();
        events.stream()
                .filter(e -> e.path("type").asText().equals("response.function_call_arguments.delta"))
                .forEach(e -> args.append(e.path("delta").asText()));
        JsonNode done = events.stream()
                .filter(e -> e.path("type").asText().equals("response.function_call_arguments.done"))
                .findFirst()
                .orElseThrow();
        assertEquals(args.toString(), done.path("arguments").asText());
        assertEquals("Paris", Json.parse(args.toString()).path("city").asText());
        JsonNode last = events.get(events.size() - 1);
        assertEquals("response.completed", last.path("type").asText());
        JsonNode item = last.path("response").path("output").path(0);
        assertEquals("function_call", item.path("type").asText());
        assertEquals(args.toString(), item.path("arguments").asText());
        assertEquals(BedrockWire.TOOL_USE_ID, item.path("call_id").asText());
    }

    @Test
    void reasoningStreamsAsSummaryDeltas() {
        String sse = String.join(
                "",
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,"
                        + "\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Think.\"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"4\"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                        + "\"usage\":{\"output_tokens\":12}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        anthropic.enqueue(StubResponse.rawStream("text/event-stream", List.of(sse.getBytes(StandardCharsets.UTF_8))));
        List<JsonNode> events = events(
                create(
                        onAnthropic(),
                        """
                {"model": "x", "input": "2+2?", "stream": true, "reasoning": {"effort": "low"}, "max_output_tokens": 4096}"""));
        List<String> types = types(events);
        assertTrue(
                types.indexOf("response.reasoning_summary_text.delta") < types.indexOf("response.output_text.delta"),
                types.toString());
        JsonNode last = events.get(events.size() - 1).path("response");
        assertEquals("reasoning", last.path("output").path(0).path("type").asText());
        assertEquals(
                "Think.",
                last.path("output").path(0).path("summary").path(0).path("text").asText());
        assertEquals("4", outputText(last));
    }

    @Test
    void aStreamThatBreaksAfterItStartedEndsWithResponseFailed() {
        anthropic.enqueue(AnthropicWire.streamError("overloaded_error", "Overloaded", "Hel"));
        List<JsonNode> events =
                events(create(onAnthropic(), "{\"model\": \"x\", \"input\": \"hi\", \"stream\": true}"));
        JsonNode last = events.get(events.size() - 1);
        assertEquals(
                "response.failed", last.path("type").asText(), types(events).toString());
        assertEquals("failed", last.path("response").path("status").asText());
        assertTrue(last.path("response").path("error").path("message").asText().contains("Overloaded"));
    }

    @Test
    void aStreamThatFailsBeforeItsFirstEventFallsBack() {
        Gateway g = gateway(
                """
                {"strategy": {"mode": "fallback"}, "targets": [%s,
                  {"provider": "google", "api_key": "AIza", "custom_host": "%s", "override_params": {"model": "gemini-2.5-flash"}}]}"""
                        .formatted(anthropicTarget(), gemini.baseUrl()));
        anthropic.enqueue(AnthropicWire.overloaded());
        gemini.enqueue(GeminiWire.stream("From ", "Gemini"));
        List<JsonNode> events = events(create(g, "{\"model\": \"x\", \"input\": \"hi\", \"stream\": true}"));
        assertEquals("From Gemini", outputText(events.get(events.size() - 1).path("response")));
    }

    @Test
    void aNativeOpenAiResponsesStreamPassesThroughEventByEventWithUsage() {
        Gateway g = gateway("""
                {"provider": "openai", "api_key": "sk-oai", "custom_host": "%s"}"""
                .formatted(openai.openAiBaseUrl()));
        String response =
                """
                {"id":"resp_1","object":"response","created_at":1,"status":"%s","model":"gpt-4o","output":[]%s}""";
        List<byte[]> chunks = new ArrayList<>();
        chunks.add(("event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
                        + response.formatted("in_progress", "") + "}\n\n")
                .getBytes(StandardCharsets.UTF_8));
        chunks.add(("event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":1,"
                        + "\"response\":"
                        + response.formatted(
                                "completed",
                                ",\"usage\":{\"input_tokens\":7,\"input_tokens_details\":{\"cached_tokens\":2},"
                                        + "\"output_tokens\":3,\"output_tokens_details\":{\"reasoning_tokens\":1},"
                                        + "\"total_tokens\":10}")
                        + "}\n\n")
                .getBytes(StandardCharsets.UTF_8));
        openai.enqueue(StubResponse.rawStream("text/event-stream", chunks));
        GatewayResponse r = create(g, "{\"model\": \"gpt-4o\", \"input\": \"hi\", \"stream\": true}");
        List<String> seen = new ArrayList<>();
        try (EventStream s = r.stream()) {
            for (ServerSentEvent e : s) {
                seen.add(e.event());
            }
        }
        assertEquals(List.of("response.created", "response.completed"), seen, "no [DONE] after the terminal event");
        Attempt a = r.trace().attempts().get(0);
        assertEquals(7, a.usage().promptTokens());
        assertEquals(2, a.usage().cachedTokens());
        assertEquals(1, a.usage().reasoningTokens());
    }
}
