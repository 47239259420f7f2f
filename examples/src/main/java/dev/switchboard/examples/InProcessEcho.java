package dev.switchboard.examples;

import dev.switchboard.Gateway;
import dev.switchboard.accounting.DefaultPricingCatalog;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.ModelPrice;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An in-process provider in a fallback: the first target (OpenAI, a local stub that answers 503)
 * fails, and {@link EchoProvider} — found through {@code ServiceLoader}, answering inside the JVM —
 * takes over; then a rule-based answer and a stream word by word, each accounted and priced like
 * any provider's.
 */
public final class InProcessEcho {
    private InProcessEcho() {}

    /** Runs the example, printing what the gateway did. */
    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the example, printing to {@code out}; returns the three answers (the stream consumed). */
    static List<GatewayResponse> run(PrintStream out) {
        List<GatewayResponse> answers = new ArrayList<>();
        try (StubUpstream down = StubUpstream.start()) {
            down.setDefault(StubResponse.error(503, "the stub is down on purpose"));
            String config =
                    """
                    {
                      "strategy": { "mode": "fallback" },
                      "targets": [
                        { "provider": "openai", "api_key": "sk-stub", "custom_host": "%s" },
                        { "provider": "echo", "override_params": { "model": "echo-1" } }
                      ]
                    }
                    """
                            .formatted(down.openAiBaseUrl());
            // echo-1 priced like any model: $0.50 per million words in, $1.50 out
            ModelPrice price = ModelPrice.of(new BigDecimal("0.0000005"), new BigDecimal("0.0000015"));
            try (Gateway gateway = Gateway.builder()
                    .config(config)
                    .pricing(DefaultPricingCatalog.bundled().withOverride("echo", "echo-1", price))
                    .build()) {
                GatewayResponse hello = gateway.execute(chat("Hello there", false));
                show(out, "1. OpenAI fails, the in-process echo provider answers", hello);
                answers.add(hello);

                GatewayResponse reversed = gateway.execute(chat("reverse: stressed", false));
                show(out, "2. a rule: reverse", reversed);
                answers.add(reversed);

                GatewayResponse streamed = gateway.execute(chat("stream me word by word", true));
                out.println();
                out.println("3. a stream, one event per word:");
                try (var events = streamed.stream()) {
                    for (ServerSentEvent e : events) {
                        if (e.data().equals("[DONE]")) {
                            out.print(" then [DONE]");
                            continue;
                        }
                        String word = Json.parse(e.data())
                                .path("choices")
                                .path(0)
                                .path("delta")
                                .path("content")
                                .asText("");
                        if (!word.isEmpty()) {
                            out.print("[" + word + "]");
                        }
                    }
                }
                out.println();
                show(out, "", streamed);
                answers.add(streamed);
            }
        }
        return answers;
    }

    private static GatewayRequest chat(String text, boolean stream) {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":" + Json.valueToTree(text) + "}]}")
                .build();
    }

    /** A table of the attempts, then the answer (for a stream, once it was read). */
    static void show(PrintStream out, String title, GatewayResponse r) {
        if (!title.isEmpty()) {
            out.println();
            out.println(title);
        }
        out.printf(
                Locale.ROOT,
                "%-18s %-8s %-12s %6s %8s %11s  %s%n",
                "target path",
                "provider",
                "model",
                "status",
                "tokens",
                "cost",
                "error");
        for (Attempt a : r.trace().attempts()) {
            String tokens = a.usage() == null
                    ? "-"
                    : a.usage().promptTokens() + "+" + a.usage().completionTokens();
            String cost = a.cost().known() ? a.cost().toString() : "?";
            out.printf(
                    Locale.ROOT,
                    "%-18s %-8s %-12s %6d %8s %11s  %s%n",
                    a.targetPath(),
                    a.provider(),
                    a.model(),
                    a.status(),
                    tokens,
                    cost,
                    a.errorClass() == null ? "" : a.errorClass() + ": " + a.errorMessage());
        }
        if (!r.isStream()) {
            String answer = r.isSuccess()
                    ? r.json()
                            .path("choices")
                            .path(0)
                            .path("message")
                            .path("content")
                            .asText()
                    : r.json().path("error").path("message").asText();
            out.println("=> " + r.status() + " from "
                    + r.header("x-portkey-last-used-option-index").orElse("?") + ": " + answer);
        }
    }
}
