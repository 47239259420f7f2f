package dev.switchboard.examples;

import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;

/**
 * Guardrails end to end against a local stub: a custom check found through {@code ServiceLoader}
 * denies a request (446, the provider is never called), PII is redacted before the provider sees
 * it, and an output guardrail flags an answer (246).
 */
public final class CustomGuardrail {
    private CustomGuardrail() {}

    public static void main(String[] args) {
        try (StubUpstream stub = StubUpstream.start()) {
            String config =
                    """
                    {
                      "provider": "openai", "api_key": "sk-stub", "custom_host": "%s",
                      "input_guardrails": [ { "acme.noProfanity": { "words": ["darn", "heck"] }, "deny": true } ],
                      "input_mutators":   [ { "default.piiRedact": { "categories": ["EMAIL", "PHONE"] } } ],
                      "output_guardrails": [ { "default.wordCount": { "minWords": 3 } } ]
                    }
                    """
                            .formatted(stub.openAiBaseUrl());
            try (Gateway gateway = Gateway.fromConfig(config)) {
                GatewayResponse denied = gateway.execute(chat("Well darn, what now?"));
                System.out.println("1. custom check denies:  " + denied.status() + " "
                        + denied.json().path("error").path("type").asText() + ", provider calls so far: "
                        + stub.hits());
                System.out.println("   hook_results: "
                        + denied.json()
                                .path("hook_results")
                                .path("before_request_hooks")
                                .path(0)
                                .path("checks")
                                .path(0)
                                .path("data"));

                stub.enqueue(StubResponse.chatCompletion("Sure."));
                GatewayResponse flagged = gateway.execute(chat("Write to jane.doe@example.com or +44 20 7946 0958."));
                System.out.println("2. PII redacted, the provider saw: "
                        + stub.lastRequest()
                                .json()
                                .path("messages")
                                .path(0)
                                .path("content")
                                .asText());
                System.out.println("   a one-word answer fails the output word count (no deny): " + flagged.status());

                GatewayResponse ok = gateway.execute(chat("Tell me something nice."));
                System.out.println("3. everything passes: " + ok.status() + ", answer: "
                        + ok.json()
                                .path("choices")
                                .path(0)
                                .path("message")
                                .path("content")
                                .asText());
            }
        }
    }

    private static GatewayRequest chat(String text) {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + dev.switchboard.api.Json.valueToTree(text) + "}]}")
                .build();
    }
}
