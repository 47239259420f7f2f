package dev.switchboard.spring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import dev.switchboard.Gateway;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole Spring Boot application as a user writes it: {@code switchboard.config=classpath:gateway.json}
 * and a keys file in {@code application.properties} (test resources), Spring AI's OpenAI starter on the
 * classpath, {@code ChatClient.Builder} injected. The config's first target is a stub answering 503,
 * the second a stub that answers; both are local and reached through virtual keys whose addresses and
 * keys come from Spring's environment ({@code @DynamicPropertySource}).
 */
@SpringBootTest(classes = SwitchboardSpringAiTest.App.class)
class SwitchboardSpringAiTest {
    static final StubUpstream DOWN = StubUpstream.start();
    static final StubUpstream UP = StubUpstream.start();

    /**
     * The application under test: as {@code @SpringBootApplication}, without its component scan (it would
     * pick up the auto-configuration's nested classes from this package as if they were the user's).
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @DynamicPropertySource
    static void stubs(DynamicPropertyRegistry registry) {
        registry.add("STUB_DOWN_URL", DOWN::openAiBaseUrl);
        registry.add("STUB_UP_URL", UP::openAiBaseUrl);
        registry.add("STUB_DOWN_KEY", () -> "sk-test-down-4f1c");
        registry.add("STUB_UP_KEY", () -> "sk-test-up-9d2e");
    }

    @AfterAll
    static void stop() {
        DOWN.close();
        UP.close();
    }

    @Autowired
    ChatClient.Builder chatClientBuilder;

    @Autowired
    EmbeddingModel embeddingModel;

    @Autowired
    ChatModel chatModel;

    @Autowired
    OpenAIClient openAiClient;

    @Autowired
    Gateway gateway;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void reset() {
        DOWN.reset();
        UP.reset();
        DOWN.setDefault(StubResponse.error(503, "down on purpose"));
    }

    @Test
    void chatClientCallIsAnsweredThroughTheGatewaysFallback() {
        UP.enqueue(StubResponse.chatCompletion("Hello from the fallback"));

        String answer = chatClientBuilder.build().prompt("Hello").call().content();

        assertEquals("Hello from the fallback", answer);
        assertEquals(1, DOWN.hits(), "the first target was tried");
        assertEquals(1, UP.hits());
        assertEquals("gpt-4o-mini", UP.lastRequest().json().path("model").asText());
        assertOnlyTheConfigsKeysWereSent();
        assertInstanceOf(OpenAiChatModel.class, chatModel);
    }

    @Test
    void chatClientStreamIsStreamedThroughTheGateway() {
        UP.enqueue(StubResponse.chatStream("Streamed", " through", " the", " gateway"));

        List<String> pieces = chatClientBuilder.build().prompt("Hello").stream()
                .content()
                .collectList()
                .block();

        assertEquals("Streamed through the gateway", String.join("", pieces));
        assertTrue(
                UP.lastRequest().json().path("stream").asBoolean(),
                UP.lastRequest().bodyText());
        assertOnlyTheConfigsKeysWereSent();
    }

    @Test
    void embeddingModelEmbedsThroughTheGateway() {
        UP.enqueue(StubResponse.embeddings(4));

        float[] vector = embeddingModel.embed("hello");

        assertEquals(4, vector.length);
        RecordedRequest r = UP.lastRequest();
        assertTrue(r.path().endsWith("/embeddings"), r.path());
        assertEquals("text-embedding-3-small", r.json().path("model").asText());
        // the same call through the SDK client bean gives the same vector
        UP.enqueue(StubResponse.embeddings(4));
        List<Float> sdk = openAiClient
                .embeddings()
                .create(com.openai.models.embeddings.EmbeddingCreateParams.builder()
                        .model("text-embedding-3-small")
                        .input("hello")
                        .build())
                .data()
                .get(0)
                .embedding();
        float[] viaSdk = new float[sdk.size()];
        for (int i = 0; i < viaSdk.length; i++) {
            viaSdk[i] = sdk.get(i);
        }
        assertArrayEquals(viaSdk, vector);
        assertOnlyTheConfigsKeysWereSent();
    }

    @Test
    void micrometerCountsRequestsAttemptsTokensCostAndOverhead() {
        double requests = count("switchboard.requests", "outcome", "success", "status", "2xx", "provider", "openai");
        double failed = count("switchboard.attempts", "provider", "openai", "outcome", "http_503");
        double succeeded = count("switchboard.attempts", "provider", "openai", "outcome", "success");
        double input = count("switchboard.tokens", "model", "gpt-4o-mini", "type", "input");
        double output = count("switchboard.tokens", "model", "gpt-4o-mini", "type", "output");
        double cost = count("switchboard.cost", "provider", "openai", "model", "gpt-4o-mini");
        long overhead = meters.find("switchboard.overhead").timers().stream()
                .mapToLong(t -> t.count())
                .sum();
        UP.enqueue(StubResponse.chatCompletion("Counted", 12, 7));

        chatClientBuilder.build().prompt("Count me").call().content();

        assertEquals(
                requests + 1,
                count("switchboard.requests", "outcome", "success", "status", "2xx", "provider", "openai"),
                () -> meters.getMeters().stream()
                        .map(m -> m.getId().toString())
                        .toList()
                        .toString());
        assertEquals(failed + 1, count("switchboard.attempts", "provider", "openai", "outcome", "http_503"));
        assertEquals(succeeded + 1, count("switchboard.attempts", "provider", "openai", "outcome", "success"));
        assertEquals(input + 12, count("switchboard.tokens", "model", "gpt-4o-mini", "type", "input"));
        assertEquals(output + 7, count("switchboard.tokens", "model", "gpt-4o-mini", "type", "output"));
        assertTrue(
                count("switchboard.cost", "provider", "openai", "model", "gpt-4o-mini") > cost,
                "gpt-4o-mini has a price: the cost grows");
        assertEquals(
                overhead + 1,
                meters.find("switchboard.overhead").timers().stream()
                        .mapToLong(t -> t.count())
                        .sum());
        meters.getMeters().forEach(m -> m.getId()
                .getTags()
                .forEach(t ->
                        assertFalse(t.getValue().contains("sk-test"), m.getId().toString())));
    }

    @Test
    void theGatewayBeanIsTheOneTheClientsUse() {
        UP.enqueue(StubResponse.chatCompletion("direct"));
        assertEquals(
                200,
                gateway.execute(dev.switchboard.api.GatewayRequest.chat(
                                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                                .build())
                        .status());
        assertEquals(1, UP.hits());
    }

    private double count(String name, String... tags) {
        return meters.find(name).tags(tags).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    /** The upstream saw the keys file's key — never the SDK's placeholder nor Spring AI's api-key property. */
    private static void assertOnlyTheConfigsKeysWereSent() {
        for (RecordedRequest r : UP.requests()) {
            assertEquals("Bearer sk-test-up-9d2e", r.header("authorization"), r.toString());
        }
        for (RecordedRequest r : DOWN.requests()) {
            assertEquals("Bearer sk-test-down-4f1c", r.header("authorization"), r.toString());
        }
        for (StubUpstream s : List.of(UP, DOWN)) {
            for (RecordedRequest r : s.requests()) {
                String all = r.headers().toString() + r.bodyText();
                assertFalse(all.contains("switchboard-in-process"), all);
                assertFalse(all.contains("sk-spring-ai-must-not-be-used"), all);
            }
        }
    }
}
