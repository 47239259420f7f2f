package dev.switchboard.examples;

import dev.switchboard.Gateway;
import dev.switchboard.accounting.DefaultPricingCatalog;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.ModelPrice;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Prompt templates and cost caps against a local stub: a folder of versioned prompts, the newest and
 * a pinned version rendered, Portkey's {@code POST /v1/prompts/{id}/completions}, a streamed prompt,
 * a missing variable answered 400; a request over its cost cap moved to a cheaper fallback, and a
 * stream ended when its running cost passes the cap. Prices are set round so the numbers are easy
 * to follow: gpt-4o $0.01 and gpt-4o-mini $0.001 per output token, prompts free.
 */
public final class PromptTemplates {
    private PromptTemplates() {}

    static final String V1 =
            """
            {"id": "support-reply", "version": 1, "model": "gpt-4o-mini",
             "messages": [{"role": "user", "content": "Answer briefly: {{question}}"}]}""";

    static final String V2 =
            """
            {
              "id": "support-reply",
              "version": 2,
              "model": "gpt-4o-mini",
              "parameters": {"temperature": 0.2, "max_tokens": 200},
              "messages": [
                {"role": "system", "content": "You answer for {{company}}.{{#customer.vip}} The customer is a VIP.{{/customer.vip}}"},
                {"role": "user", "content": "{{#orders}}Order {{id}} ({{status}}).\\n{{/orders}}{{question}}"}
              ]
            }""";

    public static void main(String[] args) throws IOException {
        Path folder = Files.createTempDirectory("prompts");
        try (StubUpstream stub = StubUpstream.start()) {
            Files.writeString(folder.resolve("support-reply.v1.json"), V1);
            Files.writeString(folder.resolve("support-reply.v2.json"), V2);
            DefaultPricingCatalog prices = DefaultPricingCatalog.bundled()
                    .withOverride("openai", "gpt-4o", ModelPrice.of(BigDecimal.ZERO, new BigDecimal("0.01")))
                    .withOverride("openai", "gpt-4o-mini", ModelPrice.of(BigDecimal.ZERO, new BigDecimal("0.001")));
            String config =
                    """
                    {"strategy": {"mode": "fallback"},
                     "max_cost_usd": 0.5,
                     "targets": [
                       {"provider": "openai", "api_key": "sk-stub", "custom_host": "%1$s",
                        "override_params": {"model": "gpt-4o"}},
                       {"provider": "openai", "api_key": "sk-stub", "custom_host": "%1$s"}]}"""
                            .formatted(stub.openAiBaseUrl());
            try (Gateway gateway = Gateway.builder()
                    .config(config)
                    .prompts(folder)
                    .pricing(prices)
                    .build()) {
                Map<String, Object> vars = Map.of(
                        "company",
                        "Acme",
                        "customer",
                        Map.of("vip", true),
                        "orders",
                        List.of(Map.of("id", 7, "status", "shipped")),
                        "question",
                        "Where is my parcel?");

                System.out.println("1. the newest version, rendered and routed as a chat request; gpt-4o is over the"
                        + " $0.50 cap ($0.01 × 200 max tokens = $2), so gpt-4o-mini serves");
                stub.enqueue(StubResponse.chatCompletion("It left the warehouse today."));
                GatewayResponse r = gateway.execute(
                        GatewayRequest.prompt("support-reply", vars).build());
                System.out.println("   sent: " + stub.lastRequest().json().path("messages"));
                show(r);

                System.out.println("2. version 1 pinned, through Portkey's route");
                stub.enqueue(StubResponse.chatCompletion("Tomorrow."));
                show(gateway.execute(GatewayRequest.builder("POST", "/v1/prompts/support-reply@1/completions")
                        .body("{\"variables\": {\"question\": \"When?\"}, \"max_tokens\": 20}")
                        .build()));

                System.out.println("3. a streamed prompt (\"stream\": true among the overrides)");
                stub.enqueue(StubResponse.chatStream("On ", "its ", "way."));
                System.out.println("   "
                        + read(gateway.execute(
                                GatewayRequest.prompt("support-reply", vars, Map.of("stream", true, "max_tokens", 20))
                                        .build())));

                System.out.println("4. a missing variable");
                show(gateway.execute(GatewayRequest.prompt("support-reply", Map.of("company", "Acme"))
                        .build()));

                System.out.println(
                        "5. a stream capped at $0.004 by header, served by gpt-4o-mini: ended after the fifth token");
                stub.enqueue(StubResponse.chatStream("a ", "b ", "c ", "d ", "e ", "f "));
                System.out.println("   "
                        + read(gateway.execute(
                                GatewayRequest.prompt("support-reply", vars, Map.of("stream", true, "max_tokens", 3))
                                        .header("x-switchboard-max-cost-usd", "0.004")
                                        .build())));
            }
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String read(GatewayResponse r) {
        StringBuilder out = new StringBuilder();
        try (EventStream s = r.stream()) {
            for (ServerSentEvent e : s) {
                if (e.isDone()) {
                    out.append(" [DONE]");
                } else if (Json.parse(e.data()).has("error")) {
                    out.append(" [error: ")
                            .append(Json.parse(e.data()).at("/error/code").asText())
                            .append(']');
                } else {
                    out.append(
                            Json.parse(e.data()).at("/choices/0/delta/content").asText(""));
                }
            }
        }
        return out + "  (prompt " + r.trace().promptId() + "@" + r.trace().promptVersion() + ")";
    }

    private static void show(GatewayResponse r) {
        for (Attempt a : r.trace().attempts()) {
            System.out.println("   attempt " + a.targetPath() + " " + a.model() + " -> " + a.status()
                    + (a.errorClass() == null ? "" : " " + a.errorClass()));
        }
        String text = r.isSuccess()
                ? r.json().at("/choices/0/message/content").asText()
                : r.json().at("/error/message").asText();
        System.out.println("   => " + r.status() + " (prompt " + r.trace().promptId() + "@"
                + r.trace().promptVersion() + "): " + text);
    }
}
