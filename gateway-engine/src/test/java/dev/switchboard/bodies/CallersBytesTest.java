package dev.switchboard.bodies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.ManualSleeper;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 finding 4: when nothing rewrites a JSON body on its way to a provider that takes
 * OpenAI's format, the provider receives the caller's bytes exactly (whitespace, key order, escapes,
 * number spellings); when something does ({@code override_params}, a mutator, {@code stream_options}
 * added for usage, an adapter's quirk), it receives the rewritten body.
 */
class CallersBytesTest {
    /** Odd on purpose: spacing, key order, escapes, numbers a double would round, a big integer. */
    private static final String ODD =
            "{ \"messages\" :[ {\"content\":\"caf\\u00e9 \\/ \\u2603 \\ud83d\\ude00 \\\"q\\\"\","
                    + "\t\"role\":\"user\"}],\n  \"model\":\"gpt-4o-mini\", \"temperature\" : 0.10000000000000000000000001,"
                    + " \"seed\": 123456789012345678901234567890, \"top_p\": 1.0E+0 ,\"user\":\"\u00e9t\u00e9 \u2603 \ud83d\ude00\"  }\n";

    private StubUpstream stub;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private Gateway gateway(String provider, String extra) {
        return Gateway.builder()
                .config("{\"provider\":\"" + provider + "\",\"api_key\":\"sk-test\",\"custom_host\":\""
                        + stub.openAiBaseUrl() + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}")
                .sleeper(new ManualSleeper(ManualClock.start()))
                .build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] sent() {
        return stub.lastRequest().body();
    }

    @Test
    void aBodyGivenAsTextReachesTheProviderByteForByte() {
        stub.setDefault(StubResponse.chatCompletion("ok"));
        try (Gateway g = gateway("openai", "")) {
            GatewayResponse r = g.execute(GatewayRequest.chat(ODD).build());
            assertEquals(200, r.status());
            assertArrayEquals(utf8(ODD), sent(), () -> new String(sent(), StandardCharsets.UTF_8));
            // the tree alone would have lost them: a re-serialised body rounds and re-spaces
            String reserialised = Json.text(Json.parse(ODD));
            assertFalse(reserialised.contains("0.10000000000000000000000001"), reserialised);
        }
    }

    @Test
    void aBodyGivenAsBytesReachesTheProviderByteForByteAndTheCallersArrayIsNotKept() {
        stub.setDefault(StubResponse.chatCompletion("ok"));
        byte[] mine = utf8(ODD);
        GatewayRequest request = GatewayRequest.builder(dev.switchboard.api.Endpoint.CHAT_COMPLETIONS)
                .body(mine)
                .build();
        mine[2] = 'X'; // the request keeps its own copy
        try (Gateway g = gateway("openai", "")) {
            assertEquals(200, g.execute(request).status());
            assertArrayEquals(utf8(ODD), sent());
        }
        assertEquals("gpt-4o-mini", request.bodyView().path("model").asText(), "routing still sees the tree");
    }

    @Test
    void everyRetryAndAnAsyncCallSendTheSameBytes() throws Exception {
        stub.enqueue(StubResponse.json(503, "{\"error\":{\"message\":\"busy\"}}"));
        stub.setDefault(StubResponse.chatCompletion("ok"));
        try (Gateway g = gateway("openai", "\"retry\":{\"attempts\":2,\"on_status_codes\":[503]}")) {
            assertEquals(200, g.execute(GatewayRequest.chat(ODD).build()).status());
            assertEquals(
                    200, g.executeAsync(GatewayRequest.chat(ODD).build()).get().status());
        }
        List<RecordedRequest> all = stub.requests();
        assertEquals(3, all.size());
        for (RecordedRequest r : all) {
            assertArrayEquals(utf8(ODD), r.body());
        }
    }

    @Test
    void overrideParamsRewriteTheBody() {
        stub.setDefault(StubResponse.chatCompletion("ok"));
        try (Gateway g = gateway("openai", "\"override_params\":{\"model\":\"gpt-4o\"}")) {
            g.execute(GatewayRequest.chat(ODD).build());
        }
        assertFalse(java.util.Arrays.equals(utf8(ODD), sent()));
        assertEquals("gpt-4o", stub.lastRequest().json().path("model").asText());
    }

    @Test
    void aMutatorsRewriteIsWhatTheProviderReceives() {
        stub.setDefault(StubResponse.chatCompletion("ok"));
        String body = "{\"model\":\"gpt-4o-mini\",  \"messages\":[{\"role\":\"user\",\"content\":"
                + "\"charge 4111111111111111 please\"}]}";
        try (Gateway g = gateway(
                "openai",
                "\"input_mutators\":[{\"default.regexReplace\":{\"rule\":\"\\\\b\\\\d{16}\\\\b\",\"redactText\":\"[CARD]\"}}]")) {
            g.execute(GatewayRequest.chat(body).build());
        }
        assertEquals(
                "charge [CARD] please",
                stub.lastRequest()
                        .json()
                        .path("messages")
                        .path(0)
                        .path("content")
                        .asText());
        assertFalse(new String(sent(), StandardCharsets.UTF_8).contains("4111111111111111"));
    }

    @Test
    void aStreamWithoutIncludeUsageGetsItAddedAndOneWithItIsSentAsWritten() throws Exception {
        String without =
                "{\"model\":\"gpt-4o-mini\", \"stream\" : true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String with = "{\"model\":\"gpt-4o-mini\", \"stream\" : true, \"stream_options\": {\"include_usage\": true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        stub.setDefault(StubResponse.chatStream("Hel", "lo"));
        try (Gateway g = gateway("openai", "")) {
            try (var events = g.execute(GatewayRequest.chat(without).build()).stream()) {
                events.forEach(e -> {});
            }
            assertTrue(stub.lastRequest()
                    .json()
                    .path("stream_options")
                    .path("include_usage")
                    .asBoolean());
            // the caller's bytes with the option put in front, not the tree serialised again
            assertArrayEquals(utf8("{\"stream_options\":{\"include_usage\":true}," + without.substring(1)), sent());
            try (var events = g.execute(GatewayRequest.chat(with).build()).stream()) {
                events.forEach(e -> {});
            }
            assertArrayEquals(utf8(with), sent());
        }
    }

    @Test
    void anAdaptersQuirkRewritesOnlyWhenItApplies() {
        stub.setDefault(StubResponse.chatCompletion("ok"));
        String plain = "{\"model\":\"llama-3.1-8b-instant\" ,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String withLogprobs = "{\"model\":\"llama-3.1-8b-instant\" ,\"logprobs\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Gateway g = gateway("groq", "")) {
            g.execute(GatewayRequest.chat(plain).build());
            assertArrayEquals(utf8(plain), sent());
            g.execute(GatewayRequest.chat(withLogprobs).build());
            assertFalse(stub.lastRequest().json().has("logprobs"), "groq has no logprobs: dropped");
        }
    }

    @Test
    void aBodyGivenAsATreeOrWithARepeatedKeyOrTrailingContentIsSerialisedFromTheTree() {
        stub.setDefault(StubResponse.chatCompletion("ok"));
        String repeated = "{\"model\":\"gpt-4o\", \"model\":\"gpt-4o-mini\",\"messages\":[]}";
        String trailing = "{\"model\":\"gpt-4o-mini\",\"messages\":[]} {\"model\":\"other\"}";
        try (Gateway g = gateway("openai", "")) {
            g.execute(GatewayRequest.chat(Json.parse(ODD)).build());
            assertArrayEquals(Json.bytes(Json.parse(ODD)), sent(), "a tree is serialised");
            assertFalse(java.util.Arrays.equals(utf8(ODD), sent()));

            GatewayRequest r = GatewayRequest.chat(repeated).build();
            assertNull(r.rawJsonView(), "a repeated key: the bytes say more than the tree routing saw");
            g.execute(r);
            assertEquals("{\"model\":\"gpt-4o-mini\",\"messages\":[]}", new String(sent(), StandardCharsets.UTF_8));

            GatewayRequest t = GatewayRequest.chat(trailing).build();
            assertNull(t.rawJsonView());
            g.execute(t);
            assertEquals("{\"model\":\"gpt-4o-mini\",\"messages\":[]}", new String(sent(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void strictParsingNamesWhatItRefuses() {
        IllegalArgumentException dup =
                assertThrows(IllegalArgumentException.class, () -> Json.parseStrict(utf8("{\"a\":1,\"a\":2}")));
        assertTrue(dup.getMessage().contains("Duplicate field 'a'"), dup.getMessage());
        IllegalArgumentException tail =
                assertThrows(IllegalArgumentException.class, () -> Json.parseStrict("{\"a\":1} x"));
        assertTrue(tail.getMessage().startsWith("malformed JSON"), tail.getMessage());
        assertEquals(1, Json.parseStrict(utf8(" {\"a\":1}\n ")).path("a").asInt(), "whitespace after is fine");
    }

    @Test
    void textWithALoneSurrogateHasNoBytesAndItsTreeIsSent() {
        GatewayRequest r = GatewayRequest.chat("{\"model\":\"m\",\"messages\":[],\"x\":\"a\ud800b\"}")
                .build();
        assertNull(r.rawJsonView(), "a lone surrogate has no UTF-8 form");
        assertNull(r.rawJsonView(), "asked again: still none");
        assertEquals("a\ud800b", r.bodyView().path("x").asText());
        stub.setDefault(StubResponse.chatCompletion("ok"));
        try (Gateway g = gateway("openai", "")) {
            g.execute(r);
        }
        String sent = new String(sent(), StandardCharsets.UTF_8);
        assertTrue(sent.contains("a\\uD800b"), "kept as an escape, not turned into '?': " + sent);
    }

    @Test
    void derivedRequestsKeepTheTextOnlyWhileTheBodyIsTheSame() {
        GatewayRequest r = GatewayRequest.chat(ODD).build();
        assertArrayEquals(utf8(ODD), r.rawJsonView());
        assertArrayEquals(utf8(ODD), r.toBuilder().metadata("k", "v").build().rawJsonView());
        assertNull(r.toBuilder().body(Json.parse(ODD)).build().rawJsonView());
        assertNull(r.toBuilder().rawBody(new byte[] {1}).build().rawJsonView());
    }
}
