package dev.switchboard.examples;

import dev.switchboard.Gateway;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.Locale;

/**
 * The quickstart: conditional routing of paid and free users, a fallback from a failing target to a
 * healthy one, and a timeout, with a table per request of what the gateway did.
 *
 * <p>With {@code OPENAI_API_KEY} set it calls the real OpenAI (the failing target uses a wrong key,
 * the slow one a 1 ms timeout); without it, it starts the testkit's local stub upstream.
 */
public final class Quickstart {
    private Quickstart() {}

    public static void main(String[] args) {
        // --stub forces the local stub even when OPENAI_API_KEY is set (the example's test uses it)
        boolean forceStub = java.util.Arrays.asList(args).contains("--stub");
        String key = forceStub ? null : System.getenv("OPENAI_API_KEY");
        boolean real = key != null && !key.isBlank();
        StubUpstream healthy = null;
        StubUpstream failing = null;
        StubUpstream slow = null;
        String healthyHost;
        String failingHost;
        String slowHost;
        String failingKey;
        long slowTimeoutMs;
        if (real) {
            System.out.println("OPENAI_API_KEY is set: calling the real OpenAI API.");
            healthyHost = failingHost = slowHost = "https://api.openai.com/v1";
            failingKey = "sk-this-key-is-wrong";
            slowTimeoutMs = 1;
        } else {
            System.out.println("OPENAI_API_KEY is not set: using the testkit's local stub upstream (no network).");
            key = "sk-stub";
            failingKey = key;
            healthy = StubUpstream.start();
            failing = StubUpstream.start();
            failing.setDefault(StubResponse.error(503, "the stub is down on purpose"));
            slow = StubUpstream.start();
            slow.setDefault(StubResponse.hang());
            healthyHost = healthy.openAiBaseUrl();
            failingHost = failing.openAiBaseUrl();
            slowHost = slow.openAiBaseUrl();
            slowTimeoutMs = 300;
        }

        String config =
                """
                {
                  "strategy": {
                    "mode": "conditional",
                    "conditions": [ { "query": { "metadata.user_plan": { "$eq": "paid" } }, "then": "paid" } ],
                    "default": "free"
                  },
                  "targets": [
                    { "name": "paid",
                      "strategy": { "mode": "fallback" },
                      "targets": [
                        { "provider": "openai", "api_key": "%s", "custom_host": "%s", "override_params": { "model": "gpt-4o" } },
                        { "provider": "openai", "api_key": "%s", "custom_host": "%s", "override_params": { "model": "gpt-4o-mini" } }
                      ] },
                    { "name": "free",
                      "strategy": { "mode": "fallback" },
                      "override_params": { "model": "gpt-4o-mini" },
                      "targets": [
                        { "provider": "openai", "api_key": "%s", "custom_host": "%s", "request_timeout": %d },
                        { "provider": "openai", "api_key": "%s", "custom_host": "%s" }
                      ] }
                  ]
                }
                """
                        .formatted(
                                failingKey,
                                failingHost,
                                key,
                                healthyHost,
                                key,
                                slowHost,
                                slowTimeoutMs,
                                key,
                                healthyHost);

        String body =
                """
                {"model": "gpt-4o-mini", "max_tokens": 20,
                 "messages": [{"role": "user", "content": "Say hello in five words."}]}
                """;
        try (Gateway gateway = Gateway.fromConfig(config)) {
            GatewayRequest paid =
                    GatewayRequest.chat(body).metadata("user_plan", "paid").build();
            GatewayRequest free =
                    GatewayRequest.chat(body).metadata("user_plan", "free").build();

            System.out.println();
            System.out.println("How a paid user's request will be routed (explain: nothing is called):");
            System.out.print(gateway.explain(paid));

            show("1. paid user: the primary target fails, the fallback answers", gateway.execute(paid));
            show("2. free user: the first target times out, the fallback answers", gateway.execute(free));
        } finally {
            for (StubUpstream s : new StubUpstream[] {healthy, failing, slow}) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    static void show(String title, GatewayResponse r) {
        RequestTrace t = r.trace();
        System.out.println();
        System.out.println(title);
        System.out.printf(
                Locale.ROOT,
                "%-30s %-8s %-12s %6s %9s %8s  %s%n",
                "target path",
                "provider",
                "model",
                "status",
                "latency",
                "tokens",
                "error");
        for (Attempt a : t.attempts()) {
            String tokens = a.usage() == null
                    ? "-"
                    : a.usage().promptTokens() + "+" + a.usage().completionTokens();
            System.out.printf(
                    Locale.ROOT,
                    "%-30s %-8s %-12s %6d %7d ms %8s  %s%n",
                    a.targetPath(),
                    a.provider(),
                    a.model(),
                    a.status(),
                    a.latency().toMillis(),
                    tokens,
                    a.errorClass() == null ? "" : a.errorClass() + ": " + a.errorMessage());
        }
        String answer = r.isSuccess()
                ? r.json()
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText()
                : r.json().path("error").path("message").asText();
        System.out.println("=> " + r.status() + " from "
                + r.header("x-portkey-last-used-option-index").orElse("?") + " (trace " + t.traceId() + ", cost "
                + t.totalCost() + "): " + answer);
    }
}
