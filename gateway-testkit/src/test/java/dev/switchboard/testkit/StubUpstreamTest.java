package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StubUpstreamTest {
    private final StubUpstream stub = StubUpstream.start();
    private final StubHttp http = new StubHttp(stub);

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void listensOnLoopbackWithAnOpenAiBaseUrl() {
        assertTrue(stub.port() > 0);
        assertEquals("http://127.0.0.1:" + stub.port(), stub.baseUrl());
        assertEquals(stub.baseUrl() + "/v1", stub.openAiBaseUrl());
    }

    @Test
    void defaultChatCompletionEchoesTheRequestedModel() throws Exception {
        HttpResponse<String> r = http.postJson(
                "/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        JsonNode body = Json.parse(r.body());
        assertEquals("chat.completion", body.path("object").asText());
        assertEquals("gpt-4o", body.path("model").asText());
        assertEquals(
                "Hello from the stub", body.at("/choices/0/message/content").asText());
        assertEquals("assistant", body.at("/choices/0/message/role").asText());
        assertEquals("stop", body.at("/choices/0/finish_reason").asText());
        assertEquals(15, body.at("/usage/total_tokens").asInt());
        assertTrue(body.path("id").asText().startsWith("chatcmpl-"));
    }

    @Test
    void chatCompletionFallsBackToGpt4oMiniWhenTheRequestNamesNoModel() throws Exception {
        stub.enqueue(StubResponse.chatCompletion("custom", 7, 3));

        JsonNode body = Json.parse(
                http.postJson("/chat/completions", "{\"messages\":[]}").body());

        assertEquals("gpt-4o-mini", body.path("model").asText());
        assertEquals("custom", body.at("/choices/0/message/content").asText());
        assertEquals(7, body.at("/usage/prompt_tokens").asInt());
        assertEquals(3, body.at("/usage/completion_tokens").asInt());
        assertEquals(10, body.at("/usage/total_tokens").asInt());
    }

    @Test
    void defaultAnswerToAStreamRequestIsAChatStreamEndingWithDone() throws Exception {
        HttpResponse<java.io.InputStream> r = http.client.send(
                http.post("/chat/completions", "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow());
        List<ServerSentEvent> events = StubHttp.events(r.body());
        assertTrue(events.get(events.size() - 1).isDone());
        StringBuilder text = new StringBuilder();
        for (ServerSentEvent e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = Json.parse(e.data());
            assertEquals("chat.completion.chunk", chunk.path("object").asText());
            assertEquals("gpt-4o", chunk.path("model").asText());
            text.append(chunk.at("/choices/0/delta/content").asText(""));
        }
        assertEquals("Hello from the stub", text.toString());
    }

    @Test
    void defaultAnswerOnEmbeddingsIsOneVectorPerInput() throws Exception {
        JsonNode body = Json.parse(
                http.postJson("/embeddings", "{\"model\":\"text-embedding-3-large\",\"input\":[\"a\",\"b\",\"c\"]}")
                        .body());

        assertEquals("list", body.path("object").asText());
        assertEquals("text-embedding-3-large", body.path("model").asText());
        assertEquals(3, body.path("data").size());
        assertEquals(2, body.at("/data/2/index").asInt());
        assertEquals(8, body.at("/data/0/embedding").size());
    }

    @Test
    void queuedResponsesAnswerInOrderThenTheDefaultResumes() throws Exception {
        stub.enqueue(StubResponse.error(429, "slow down").retryAfter("7"));
        stub.enqueue(StubResponse.error(503, "overloaded"));

        HttpResponse<String> first = http.postJson("/chat/completions", "{}");
        HttpResponse<String> second = http.postJson("/chat/completions", "{}");
        HttpResponse<String> third = http.postJson("/chat/completions", "{}");

        assertEquals(429, first.statusCode());
        assertEquals("7", first.headers().firstValue("retry-after").orElseThrow());
        JsonNode error = Json.parse(first.body()).path("error");
        assertEquals("slow down", error.path("message").asText());
        assertEquals("rate_limit_error", error.path("type").asText());
        assertTrue(error.has("param") && error.has("code"));
        assertEquals(503, second.statusCode());
        assertEquals("server_error", Json.parse(second.body()).at("/error/type").asText());
        assertEquals(200, third.statusCode());
    }

    @Test
    void perPathQueueWinsOverTheAnyPathQueue() throws Exception {
        stub.enqueue(StubResponse.json(202, "{\"from\":\"any\"}"));
        stub.enqueue("/embeddings", StubResponse.json(201, "{\"from\":\"embeddings\"}"));

        HttpResponse<String> chat = http.postJson("/chat/completions", "{}");
        HttpResponse<String> embeddings = http.postJson("/embeddings", "{}");

        assertEquals(202, chat.statusCode());
        assertEquals(201, embeddings.statusCode());
        assertEquals("embeddings", Json.parse(embeddings.body()).path("from").asText());
    }

    @Test
    void theLongestMatchingPathSuffixWins() throws Exception {
        stub.enqueue("/completions", StubResponse.json(201, "{}"));
        stub.enqueue("/chat/completions", StubResponse.json(202, "{}"));

        assertEquals(202, http.postJson("/chat/completions", "{}").statusCode());
        assertEquals(201, http.postJson("/chat/completions", "{}").statusCode());
    }

    @Test
    void setDefaultAnswersWhenQueuesAreEmptyAndResetRestoresTheOpenAiDefault() throws Exception {
        stub.setDefault(StubResponse.error(500, "down"));
        assertEquals(500, http.postJson("/chat/completions", "{}").statusCode());
        assertEquals(500, http.postJson("/chat/completions", "{}").statusCode());

        stub.reset();

        assertEquals(200, http.postJson("/chat/completions", "{}").statusCode());
        assertEquals(1, stub.hits());
    }

    @Test
    void sseSendsEachPayloadAsAnEventThenDone() throws Exception {
        stub.enqueue(StubResponse.sse(List.of("{\"n\":1}", "{\"n\":2}")));

        HttpResponse<java.io.InputStream> r = http.client.send(
                http.post("/chat/completions", "{}").build(), HttpResponse.BodyHandlers.ofInputStream());

        assertEquals("chunked", r.headers().firstValue("transfer-encoding").orElseThrow());
        List<ServerSentEvent> events = StubHttp.events(r.body());
        assertEquals(
                List.of("{\"n\":1}", "{\"n\":2}", "[DONE]"),
                events.stream().map(ServerSentEvent::data).toList());
    }

    @Test
    void chatStreamFollowsOpenAiChunkOrderAndAddsUsageOnlyWhenAsked() throws Exception {
        stub.enqueue(StubResponse.chatStream("Hel", "lo"));
        stub.enqueue(StubResponse.chatStream("Hel", "lo"));

        List<ServerSentEvent> plain = StubHttp.events(http.client
                .send(
                        http.post("/chat/completions", "{\"stream\":true}").build(),
                        HttpResponse.BodyHandlers.ofInputStream())
                .body());
        List<ServerSentEvent> withUsage = StubHttp.events(http.client
                .send(
                        http.post("/chat/completions", "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}")
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream())
                .body());

        assertEquals(5, plain.size()); // role, Hel, lo, finish, [DONE]
        JsonNode first = Json.parse(plain.get(0).data());
        assertEquals("assistant", first.at("/choices/0/delta/role").asText());
        assertEquals("", first.at("/choices/0/delta/content").asText());
        assertEquals(
                "Hel",
                Json.parse(plain.get(1).data()).at("/choices/0/delta/content").asText());
        JsonNode finish = Json.parse(plain.get(3).data());
        assertEquals("stop", finish.at("/choices/0/finish_reason").asText());
        assertEquals(0, finish.at("/choices/0/delta").size());
        assertTrue(plain.get(4).isDone());

        assertEquals(6, withUsage.size());
        JsonNode usage = Json.parse(withUsage.get(4).data());
        assertEquals(0, usage.path("choices").size());
        assertEquals(2, usage.at("/usage/completion_tokens").asInt());
        assertTrue(withUsage.get(5).isDone());
    }

    @Test
    void rawStreamWritesEachChunkAsSent() throws Exception {
        stub.enqueue(StubResponse.rawStream(
                "application/x-ndjson",
                List.of(
                        "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8),
                        "{\"a\":2}\n".getBytes(StandardCharsets.UTF_8))));

        HttpResponse<String> r = http.postJson("/chat/completions", "{}");

        assertEquals(
                "application/x-ndjson", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("{\"a\":1}\n{\"a\":2}\n", r.body());
    }

    @Test
    void rawSendsAnyStatusContentTypeAndBytes() throws Exception {
        stub.enqueue(StubResponse.raw(446, "text/plain", "denied".getBytes(StandardCharsets.UTF_8))
                .header("X-Custom", "yes"));

        HttpResponse<String> r = http.postJson("/chat/completions", "{}");

        assertEquals(446, r.statusCode());
        assertEquals("text/plain", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("yes", r.headers().firstValue("x-custom").orElseThrow());
        assertEquals("denied", r.body());
    }

    @Test
    void malformedJsonClaimsJsonButDoesNotParse() throws Exception {
        stub.enqueue(StubResponse.malformedJson(200));

        HttpResponse<String> r = http.postJson("/chat/completions", "{}");

        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> Json.parse(r.body()));
    }

    @Test
    void recordsHitsPathQueryHeadersAndBody() throws Exception {
        assertNull(stub.lastRequest());
        http.send(http.post("/chat/completions", "{\"model\":\"gpt-4o\"}")
                .header("Authorization", "Bearer sk-test")
                .build());
        http.send(HttpRequest.newBuilder(URI.create(stub.openAiBaseUrl() + "/models?limit=2"))
                .GET()
                .build());

        assertEquals(2, stub.hits());
        assertEquals(1, stub.hits("/chat/completions"));
        assertEquals(1, stub.hits("/models"));
        assertEquals(0, stub.hits("/embeddings"));
        RecordedRequest chat = stub.requests().get(0);
        assertEquals("POST", chat.method());
        assertEquals("/v1/chat/completions", chat.path());
        assertNull(chat.query());
        assertEquals("Bearer sk-test", chat.header("authorization"));
        assertEquals("Bearer sk-test", chat.header("AUTHORIZATION"));
        assertEquals("Bearer sk-test", chat.headers().get("authorization"));
        assertNull(chat.header("x-absent"));
        assertEquals("gpt-4o", chat.json().path("model").asText());
        assertEquals("{\"model\":\"gpt-4o\"}", chat.bodyText());
        assertFalse(chat.toString().contains("sk-test"), "header values stay out of toString");
        RecordedRequest models = stub.lastRequest();
        assertEquals("GET", models.method());
        assertEquals("limit=2", models.query());
        assertArrayEquals(new byte[0], models.body());
        assertThrows(IllegalArgumentException.class, models::json);
    }

    @Test
    void decodesChunkedRequestBodies() throws Exception {
        byte[] part1 = "{\"model\":".getBytes(StandardCharsets.UTF_8);
        byte[] part2 = "\"gpt-4o\"}".getBytes(StandardCharsets.UTF_8);
        // A publisher of unknown length makes the JDK client use chunked transfer coding.
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.fromPublisher(
                (Flow.Subscriber<? super ByteBuffer> s) -> s.onSubscribe(new Flow.Subscription() {
                    private int sent;

                    @Override
                    public void request(long n) {
                        while (n-- > 0 && sent < 2) {
                            s.onNext(ByteBuffer.wrap(sent++ == 0 ? part1 : part2));
                        }
                        if (sent == 2) {
                            sent++;
                            s.onComplete();
                        }
                    }

                    @Override
                    public void cancel() {}
                }));

        HttpResponse<String> r =
                http.send(HttpRequest.newBuilder(URI.create(stub.openAiBaseUrl() + "/chat/completions"))
                        .POST(chunked)
                        .build());

        assertEquals(200, r.statusCode());
        assertEquals("chunked", stub.lastRequest().header("transfer-encoding"));
        assertEquals("gpt-4o", stub.lastRequest().json().path("model").asText());
    }

    @Test
    void keepsTheConnectionAliveAcrossRequests() throws Exception {
        http.postJson("/chat/completions", "{}");
        stub.enqueue(StubResponse.chatStream("a", "b"));
        http.postJson("/chat/completions", "{\"stream\":true}");
        http.postJson("/chat/completions", "{}");

        assertEquals(3, stub.hits());
        assertEquals(1, stub.connections());
    }

    @Test
    void resetClearsQueuesCountersAndRecordings() throws Exception {
        stub.enqueue(StubResponse.error(500, "queued"));
        stub.enqueue("/chat/completions", StubResponse.error(500, "queued"));
        http.postJson("/embeddings", "{}");

        stub.reset();

        assertEquals(0, stub.hits());
        assertEquals(0, stub.hits("/embeddings"));
        assertNull(stub.lastRequest());
        assertTrue(stub.requests().isEmpty());
        assertEquals(200, http.postJson("/chat/completions", "{}").statusCode());
    }
}
