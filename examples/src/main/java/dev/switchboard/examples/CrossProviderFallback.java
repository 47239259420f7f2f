package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Gateway;
import dev.switchboard.accounting.InMemoryLogSink;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.ChatDelta;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.ToolCallDelta;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.wire.AnthropicWire;
import dev.switchboard.testkit.wire.BedrockWire;
import dev.switchboard.testkit.wire.GeminiWire;
import dev.switchboard.testkit.wire.OpenAiWire;
import java.util.Locale;

/**
 * A fallback across four providers with tool calling: Anthropic → Gemini → AWS Bedrock → OpenAI.
 * Four local stubs speak each provider's real wire format (the Messages API, generateContent, Converse
 * with SigV4, Chat Completions); the first ones fail the way each provider fails, and the caller gets
 * one OpenAI-shaped tool call whichever provider answered.
 *
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.switchboard.examples.CrossProviderFallback
 * </pre>
 */
public final class CrossProviderFallback {
    private static final String WEATHER_ARGS = "{\"city\":\"Paris\",\"unit\":\"celsius\"}";

    private CrossProviderFallback() {}

    public static void main(String[] args) {
        try (StubUpstream anthropic = StubUpstream.start();
                StubUpstream gemini = StubUpstream.start();
                StubUpstream bedrock = StubUpstream.start();
                StubUpstream openai = StubUpstream.start()) {
            String config =
                    """
                    {
                      "strategy": { "mode": "fallback" },
                      "targets": [
                        { "provider": "anthropic", "api_key": "sk-ant-demo", "custom_host": "%s/v1",
                          "override_params": { "model": "claude-sonnet-4-5" } },
                        { "provider": "google", "api_key": "AIza-demo", "custom_host": "%s",
                          "override_params": { "model": "gemini-2.5-flash" } },
                        { "provider": "bedrock", "aws_region": "us-east-1",
                          "aws_access_key_id": "AKIDDEMO", "aws_secret_access_key": "demo-secret", "custom_host": "%s",
                          "override_params": { "model": "anthropic.claude-3-5-haiku-20241022-v1:0" } },
                        { "provider": "openai", "api_key": "sk-demo", "custom_host": "%s",
                          "override_params": { "model": "gpt-4o-mini" } }
                      ]
                    }
                    """
                            .formatted(
                                    anthropic.baseUrl(), gemini.baseUrl(), bedrock.baseUrl(), openai.openAiBaseUrl());
            InMemoryLogSink traces = new InMemoryLogSink();
            try (Gateway gateway =
                    Gateway.builder().config(config).logSink(traces).build()) {
                System.out.println("Fallback: anthropic -> google (Gemini) -> bedrock -> openai, each a local stub"
                        + " speaking that provider's wire format.");

                // 1. Every provider but OpenAI fails, each in its own way.
                anthropic.enqueue(AnthropicWire.overloaded());
                gemini.enqueue(GeminiWire.unavailable());
                bedrock.enqueue(BedrockWire.throttling());
                openai.enqueue(OpenAiWire.toolCall("get_weather", WEATHER_ARGS));
                GatewayResponse first = gateway.execute(request(false));
                show("1. Anthropic 529, Gemini 503, Bedrock 429: OpenAI answers", first.trace());
                printToolCall(first);

                // 2. Anthropic is overloaded again; Gemini is back and answers in its own format.
                anthropic.enqueue(AnthropicWire.overloaded());
                gemini.enqueue(GeminiWire.functionCall("get_weather", WEATHER_ARGS));
                GatewayResponse second = gateway.execute(request(false));
                show("2. Anthropic 529: Gemini answers (functionCall -> tool_calls)", second.trace());
                printToolCall(second);

                // 3. Streaming: Anthropic's stream dies before its first event, Bedrock streams event-stream frames.
                traces.clear();
                anthropic.enqueue(
                        AnthropicWire.toolUseStream("get_weather", WEATHER_ARGS).cutAfterEvents(0));
                gemini.enqueue(GeminiWire.resourceExhausted("24s"));
                bedrock.enqueue(BedrockWire.toolUseStream("get_weather", WEATHER_ARGS));
                GatewayResponse third = gateway.execute(request(true));
                String streamed = readStreamedToolCall(third); // accounting completes when the stream ends
                show(
                        "3. streamed: Anthropic's stream cut, Gemini 429, Bedrock streams the tool call",
                        traces.traces().get(0));
                System.out.println(streamed);
            }
        }
    }

    private static GatewayRequest request(boolean stream) {
        return GatewayRequest.chat(
                        """
                {"model": "gpt-4o", "max_tokens": 200, %s
                 "messages": [{"role": "user", "content": "What's the weather in Paris?"}],
                 "tools": [{"type": "function", "function": {
                   "name": "get_weather", "description": "Current weather for a city",
                   "parameters": {"type": "object", "required": ["city"], "properties": {
                     "city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}}}}],
                 "tool_choice": "auto"}
                """
                                .formatted(stream ? "\"stream\": true," : ""))
                .build();
    }

    private static void show(String title, RequestTrace trace) {
        System.out.println();
        System.out.println(title);
        System.out.printf(
                Locale.ROOT,
                "  %-18s %-10s %-42s %6s %8s  %s%n",
                "target path",
                "provider",
                "model",
                "status",
                "latency",
                "error");
        for (Attempt a : trace.attempts()) {
            String error = a.errorClass() == null ? "" : a.errorClass() + ": " + shorten(a.errorMessage());
            System.out.printf(
                    Locale.ROOT,
                    "  %-18s %-10s %-42s %6d %5d ms  %s%n",
                    a.targetPath(),
                    a.provider(),
                    a.model(),
                    a.status(),
                    a.latency().toMillis(),
                    error);
        }
    }

    private static void printToolCall(GatewayResponse r) {
        JsonNode choice = r.json().path("choices").path(0);
        JsonNode call = choice.path("message").path("tool_calls").path(0);
        System.out.println("  => " + r.status() + " from "
                + r.header("x-portkey-provider").orElse("?")
                + ": tool call " + call.path("function").path("name").asText()
                + call.path("function").path("arguments").asText()
                + ", finish_reason " + choice.path("finish_reason").asText()
                + ", usage " + r.json().path("usage").path("total_tokens").asInt() + " tokens");
    }

    private static String readStreamedToolCall(GatewayResponse r) {
        StringBuilder name = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        String finish = "";
        int chunks = 0;
        try (EventStream stream = r.stream()) {
            for (ChatDelta d : stream.deltas()) { // typed: no chunk JSON to parse
                chunks++;
                for (ToolCallDelta call : d.toolCalls()) {
                    name.append(call.name() == null ? "" : call.name());
                    arguments.append(call.arguments());
                }
                finish = d.finish().orElse(finish);
            }
        }
        return "  => " + r.status() + " from " + r.header("x-portkey-provider").orElse("?") + ", " + chunks
                + " OpenAI chunks: tool call " + name + arguments + ", finish_reason " + finish;
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 70 ? s.substring(0, 67) + "..." : s;
    }
}
