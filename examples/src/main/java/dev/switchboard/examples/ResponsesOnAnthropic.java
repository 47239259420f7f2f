package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Gateway;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.wire.AnthropicWire;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) answered by Anthropic: a local stub speaks the
 * Messages API, the gateway translates the request and the answer — whole and streamed — and keeps the
 * response so the next turn can continue it with {@code previous_response_id}.
 *
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.switchboard.examples.ResponsesOnAnthropic
 * </pre>
 */
public final class ResponsesOnAnthropic {
    private ResponsesOnAnthropic() {}

    /**
     * Runs the example.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        try (StubUpstream anthropic = StubUpstream.start();
                Gateway gateway = Gateway.fromConfig(
                        """
                        {"provider": "anthropic", "api_key": "sk-ant-demo", "custom_host": "%s/v1",
                         "override_params": {"model": "claude-sonnet-4-5", "max_tokens": 1024}}"""
                                .formatted(anthropic.baseUrl()))) {
            anthropic.enqueue(AnthropicWire.message("Paris."));
            GatewayResponse first = gateway.execute(GatewayRequest.builder(Endpoint.RESPONSES)
                    .body(
                            """
                            {"model": "gpt-4o", "instructions": "Answer in one word.",
                             "input": "Capital of France?"}""")
                    .build());
            JsonNode r = first.json();
            System.out.println("1. " + r.path("id").asText().substring(0, 9) + "… "
                    + r.path("status").asText()
                    + ": "
                    + r.path("output")
                            .path(0)
                            .path("content")
                            .path(0)
                            .path("text")
                            .asText()
                    + " (input " + r.path("usage").path("input_tokens").asLong() + " tokens, sent to "
                    + anthropic.lastRequest().path() + ")");

            anthropic.enqueue(AnthropicWire.stream("Ber", "lin."));
            GatewayResponse second = gateway.execute(GatewayRequest.builder(Endpoint.RESPONSES)
                    .body(Json.object()
                            .put("model", "gpt-4o")
                            .put("previous_response_id", r.path("id").asText())
                            .put("input", "And Germany?")
                            .put("stream", true))
                    .build());
            StringBuilder text = new StringBuilder();
            String lastEvent = null;
            try (EventStream events = second.stream()) {
                for (ServerSentEvent e : events) { // event: response.created … response.completed, no [DONE]
                    if ("response.output_text.delta".equals(e.event())) {
                        text.append(Json.parse(e.data()).path("delta").asText());
                    }
                    lastEvent = e.event();
                }
            }
            int turns = anthropic.lastRequest().json().path("messages").size();
            System.out.println("2. streamed: " + text + " (ended with " + lastEvent + "; Anthropic got " + turns
                    + " messages: the stored conversation and the new question)");
        }
    }
}
