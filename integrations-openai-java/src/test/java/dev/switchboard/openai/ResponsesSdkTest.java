package dev.switchboard.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.switchboard.Gateway;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.wire.AnthropicWire;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The official SDK's Responses API through the gateway to Anthropic (a local stub in Anthropic's wire format). */
class ResponsesSdkTest {
    private final StubUpstream anthropic = StubUpstream.start();
    private final Gateway gateway = Gateway.fromConfig(
            """
            {"provider": "anthropic", "api_key": "sk-ant", "custom_host": "%s/v1",
             "override_params": {"model": "claude-sonnet-4-5", "max_tokens": 1024}}"""
                    .formatted(anthropic.baseUrl()));
    private final OpenAIClient client = SwitchboardOpenAI.client(gateway);

    @AfterEach
    void stop() {
        client.close();
        gateway.close();
        anthropic.close();
    }

    private static ResponseCreateParams params() {
        return ResponseCreateParams.builder()
                .model("gpt-4o")
                .instructions("Be brief.")
                .input("Say hello")
                .build();
    }

    @Test
    void createReturnsAValidResponseFromAnthropic() {
        anthropic.enqueue(AnthropicWire.message("Hello from Claude"));
        Response r = client.responses().create(params());
        r.validate();
        assertTrue(r.id().startsWith("resp_"));
        assertEquals(
                "Hello from Claude",
                r.output().get(0).asMessage().content().get(0).asOutputText().text());
        assertTrue(r.usage().orElseThrow().inputTokens() > 0);
        assertEquals("/v1/messages", anthropic.lastRequest().path());
    }

    @Test
    void createStreamingDeliversTypedEventsEndingWithCompleted() {
        anthropic.enqueue(AnthropicWire.stream("Hel", "lo"));
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(params())) {
            s.stream().forEach(e -> {
                e.validate();
                events.add(e);
            });
        }
        assertTrue(events.get(0).isCreated(), events.get(0).toString());
        StringBuilder text = new StringBuilder();
        events.stream()
                .filter(ResponseStreamEvent::isOutputTextDelta)
                .forEach(e -> text.append(e.asOutputTextDelta().delta()));
        assertEquals("Hello", text.toString());
        ResponseStreamEvent last = events.get(events.size() - 1);
        assertTrue(last.isCompleted(), last.toString());
        Response done = last.asCompleted().response();
        done.validate();
        assertEquals(
                "Hello",
                done.output().get(0).asMessage().content().get(0).asOutputText().text());
    }
}
