package dev.switchboard.examples;

import dev.switchboard.Gateway;
import dev.switchboard.accounting.InMemoryLogSink;
import dev.switchboard.accounting.KeysFile;
import dev.switchboard.accounting.UsageReport;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.Map;

/**
 * Virtual keys with limits from a keys file, a loadbalance over two keys, a budget refusal, and a
 * cost report by key, model and team at the end. Runs against a local stub (no network).
 */
public final class CostReport {
    private CostReport() {}

    public static void main(String[] args) {
        try (StubUpstream stub = StubUpstream.start()) {
            stub.setDefault(StubResponse.chatCompletion("A fine answer.", 420, 180));
            // secrets come from the environment; the example supplies stand-ins when they are not set
            String keysJson =
                    """
                    {"keys": {
                      "@openai-prod":  {"provider": "openai", "api_key": "${OPENAI_PROD_KEY}", "base_url": "%1$s",
                                        "limits": {"requests_per_minute": 600, "budget_usd_per_day": "5.00"}},
                      "@openai-batch": {"provider": "openai", "api_key": "${OPENAI_BATCH_KEY}", "base_url": "%1$s",
                                        "limits": {"per_metadata_key": "team", "budget_usd_per_day": "0.004"}}
                    }}
                    """
                            .formatted(stub.openAiBaseUrl());
            Map<String, ProviderCredentials> keys = KeysFile.parse(keysJson, name -> {
                String v = System.getenv(name);
                return v != null ? v : "sk-example-" + name.toLowerCase();
            });
            InMemoryLogSink log = new InMemoryLogSink();
            Gateway.Builder builder = Gateway.builder()
                    .logSink(log)
                    .config(
                            """
                    {"strategy": {"mode": "fallback"},
                     "targets": [
                       {"strategy": {"mode": "loadbalance"},
                        "targets": [ {"provider": "@openai-batch", "weight": 3}, {"provider": "@openai-prod", "weight": 1} ]},
                       {"provider": "@openai-prod"} ]}
                    """);
            keys.forEach(builder::provider);
            try (Gateway gateway = builder.build()) {
                String[] models = {"gpt-4o-mini", "gpt-4o"};
                String[] teams = {"search", "support", "search", "ads"};
                for (int i = 0; i < 24; i++) {
                    GatewayResponse r = gateway.execute(GatewayRequest.chat("{\"model\":\"" + models[i % 2]
                                    + "\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"question "
                                    + i + "\"}]}")
                            .metadata("team", teams[i % teams.length])
                            .build());
                    if (r.trace().attempts().size() > 1) {
                        System.out.println("request " + i + ": "
                                + r.trace().attempts().get(0).errorMessage() + " -> served by "
                                + r.header("x-portkey-last-used-option-index").orElse("?"));
                    }
                }
                System.out.println();
                System.out.println("Cost by virtual key:");
                System.out.println(UsageReport.of(log.traces()).groupBy(UsageReport.byVirtualKey()));
                System.out.println("Cost by model:");
                System.out.println(UsageReport.of(log.traces()).groupBy(UsageReport.byModel()));
                System.out.println("Cost by team:");
                System.out.println(UsageReport.of(log.traces()).groupBy(UsageReport.byMetadata("team")));
            }
        }
    }
}
