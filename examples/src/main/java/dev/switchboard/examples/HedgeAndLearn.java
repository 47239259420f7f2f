package dev.switchboard.examples;

import dev.switchboard.Gateway;
import dev.switchboard.RouteExplanation;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Random;

/**
 * Two features no proxy gateway has, against two local stubs — one slow, one fast:
 * <ol>
 *   <li>a hedged fallback: the slow target has not answered after 200 ms, so the same request goes
 *       to the fast one; its answer wins and the slow call is cancelled (and priced, at the
 *       estimated input, in the trace);</li>
 *   <li>a loadbalance node with {@code "adaptive": true}: after a few requests the slow target's
 *       weight has dropped, and {@code explain()} shows each weight and why.</li>
 * </ol>
 */
public final class HedgeAndLearn {
    private HedgeAndLearn() {}

    /** Runs the example, printing what the gateway did. */
    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the example, printing to {@code out}. */
    static void run(PrintStream out) {
        try (StubUpstream slow = StubUpstream.start();
                StubUpstream fast = StubUpstream.start()) {
            slow.setDefault(StubResponse.chatCompletion("Hello from the slow stub", 12, 6)
                    .delay(Duration.ofMillis(1500)));
            fast.setDefault(StubResponse.chatCompletion("Hello from the fast stub", 12, 6));
            hedge(out, slow, fast);
            slow.setDefault(StubResponse.chatCompletion("Hello from the slow stub", 12, 6)
                    .delay(Duration.ofMillis(120)));
            learn(out, slow, fast);
        }
    }

    private static void hedge(PrintStream out, StubUpstream slow, StubUpstream fast) {
        String config =
                """
                {
                  "strategy": { "mode": "fallback", "hedge": { "after_ms": 200 } },
                  "targets": [
                    { "provider": "openai", "api_key": "sk-stub", "custom_host": "%s" },
                    { "provider": "openai", "api_key": "sk-stub", "custom_host": "%s" }
                  ]
                }
                """
                        .formatted(slow.openAiBaseUrl(), fast.openAiBaseUrl());
        try (Gateway gateway = Gateway.builder().config(config).build()) {
            out.println("1. hedged fallback: the first target takes 1.5 s, the hedge fires after 200 ms");
            GatewayResponse r = gateway.execute(chat());
            for (Attempt a : r.trace().attempts()) {
                out.printf(
                        "   %s  %d  %s  cost %s%n",
                        a.targetPath(),
                        a.status(),
                        a.errorClass() == null ? "answered" : a.errorClass() + ": " + a.errorMessage(),
                        a.cost());
                for (String note : a.notes()) {
                    out.println("      " + note);
                }
            }
            out.println("=> " + r.status() + " from "
                    + r.header("x-portkey-last-used-option-index").orElse("?") + ": "
                    + r.json()
                            .path("choices")
                            .path(0)
                            .path("message")
                            .path("content")
                            .asText());
        }
    }

    private static void learn(PrintStream out, StubUpstream slow, StubUpstream fast) {
        String config =
                """
                {
                  "strategy": { "mode": "loadbalance", "adaptive": { "half_life_ms": 60000, "min_share": 0.05 } },
                  "targets": [
                    { "provider": "openai", "api_key": "sk-stub", "custom_host": "%s" },
                    { "provider": "openai", "api_key": "sk-stub", "custom_host": "%s" }
                  ]
                }
                """
                        .formatted(slow.openAiBaseUrl(), fast.openAiBaseUrl());
        try (Gateway gateway =
                Gateway.builder().config(config).random(new Random(3)).build()) {
            out.println();
            out.println("2. adaptive loadbalance: the first target answers in about 120 ms, the second at once");
            int before = slow.hits();
            for (int i = 0; i < 30; i++) {
                gateway.execute(chat());
            }
            int toSlow = slow.hits() - before;
            out.println("   30 requests: " + toSlow + " to the slow target, " + (30 - toSlow) + " to the fast one");
            RouteExplanation explained = gateway.explain(chat());
            for (RouteExplanation.TargetWeight w : explained.weights()) {
                out.printf("   %s: effective weight %.3f — %s%n", w.targetPath(), w.effective(), w.why());
            }
            out.println();
            out.print(explained);
        }
    }

    private static GatewayRequest chat() {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"max_tokens\":20,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}")
                .build();
    }
}
