package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Gateway;
import dev.switchboard.accounting.DefaultPricingCatalog;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.ModelPrice;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A custom HTTP provider, {@link AcmeProvider}, for a made-up JSON API served by a local stub: the
 * OpenAI request as Acme receives it, Acme's answer back as an OpenAI {@code chat.completion}, an
 * Acme stream as OpenAI chunks, and an Acme error as the OpenAI error envelope.
 */
public final class CustomHttpProvider {
    private CustomHttpProvider() {}

    /** What the example did: the gateway's answers and the requests Acme received. */
    record Outcome(List<GatewayResponse> answers, List<JsonNode> acmeRequests, List<String> acmeKeys) {}

    /** Runs the example, printing what happened. */
    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the example, printing to {@code out}. */
    static Outcome run(PrintStream out) {
        List<GatewayResponse> answers = new ArrayList<>();
        try (StubUpstream acme = StubUpstream.start()) { // plays api.acme.example on 127.0.0.1
            acme.enqueue(
                    StubResponse.json(
                            200,
                            "{\"output\":\"Paris is the capital of France.\",\"tokens\":{\"input\":9,\"output\":6},\"stop\":\"end\"}"));
            acme.enqueue(StubResponse.rawStream(
                    "application/x-ndjson",
                    List.of(
                            line("{\"text\":\"Bonjour\"}"),
                            line("{\"text\":\" tout\"}"),
                            line("{\"text\":\" le monde\"}"),
                            line("{\"done\":true,\"stop\":\"end\",\"tokens\":{\"input\":5,\"output\":3}}"))));
            acme.enqueue(StubResponse.json(429, "{\"problem\":\"slow down: 10 requests per minute\"}"));

            String config =
                    """
                    { "provider": "acme", "api_key": "acme-test-key", "custom_host": "%s" }
                    """
                            .formatted(acme.baseUrl());
            ModelPrice price = ModelPrice.of(new BigDecimal("0.000001"), new BigDecimal("0.000003"));
            try (Gateway gateway = Gateway.builder()
                    .register(new AcmeProvider())
                    .config(config)
                    .pricing(DefaultPricingCatalog.bundled().withOverride("acme", "acme-large", price))
                    .build()) {
                GatewayResponse whole = gateway.execute(chat("What is the capital of France?", false));
                out.println("1. Acme received:   " + acme.lastRequest().bodyText());
                out.println("   the caller got:  " + Json.text(whole.json()));
                out.println(
                        "   trace: " + whole.trace().attempts().get(0).usage().totalTokens() + " tokens, cost "
                                + whole.trace().totalCost() + ", notes "
                                + whole.trace().attempts().get(0).notes());
                answers.add(whole);

                GatewayResponse streamed = gateway.execute(chat("Say hello in French.", true));
                out.println();
                out.println("2. an Acme stream as OpenAI chunks:");
                try (var events = streamed.stream()) {
                    for (ServerSentEvent e : events) {
                        out.println("   data: " + e.data());
                    }
                }
                out.println("   trace: "
                        + streamed.trace().attempts().get(0).usage().totalTokens() + " tokens, cost "
                        + streamed.trace().totalCost());
                answers.add(streamed);

                GatewayResponse refused = gateway.execute(chat("And Germany?", false));
                out.println();
                out.println("3. an Acme error: " + refused.status() + " " + Json.text(refused.json()));
                answers.add(refused);
            }
            List<JsonNode> bodies =
                    acme.requests().stream().map(RecordedRequest::json).toList();
            List<String> keys =
                    acme.requests().stream().map(r -> r.header("x-acme-key")).toList();
            return new Outcome(answers, bodies, keys);
        }
    }

    private static byte[] line(String json) {
        return (json + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static GatewayRequest chat(String text, boolean stream) {
        return GatewayRequest.chat("{\"model\":\"acme-large\",\"temperature\":0.2,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":" + Json.valueToTree(text) + "}]}")
                .build();
    }
}
