package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Gateway;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.Json;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.api.RealtimeListener;
import dev.switchboard.api.RealtimeSession;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.testkit.StubRealtime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Realtime session through the gateway, against the testkit's local WebSocket stub: the first
 * target refuses the handshake (500) and the fallback opens the session; two responses are priced
 * from their {@code response.done} usage (text, audio and cached tokens); the key's budget runs out
 * and the gateway ends the session with a {@code budget_exceeded} event and close code 4412.
 *
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.switchboard.examples.RealtimeVoice
 * </pre>
 */
public final class RealtimeVoice {
    private RealtimeVoice() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws Exception when the stub or the session fails
     */
    public static void main(String[] args) throws Exception {
        try (StubRealtime upstream = StubRealtime.start()) {
            upstream.failNextHandshake(500); // the first target is down
            // each response: 200 text tokens in, 1,000 audio tokens out ($0.0648 at gpt-realtime's prices)
            upstream.usage("{\"total_tokens\":1200,\"input_tokens\":200,\"output_tokens\":1000,"
                    + "\"input_token_details\":{\"cached_tokens\":0,\"text_tokens\":200,\"audio_tokens\":0},"
                    + "\"output_token_details\":{\"text_tokens\":0,\"audio_tokens\":1000}}");
            String config =
                    """
                    {"strategy": {"mode": "fallback"},
                     "realtime": {"session_timeout": 1800000, "idle_timeout": 120000},
                     "targets": [
                       {"provider": "@voice", "custom_host": "%1$s"},
                       {"provider": "@voice", "custom_host": "%1$s"}]}
                    """
                            .formatted(upstream.openAiBaseUrl());
            ProviderCredentials key = ProviderCredentials.builder("openai")
                    .secret("sk-example-not-a-real-key")
                    .limits(KeyLimits.builder().budgetUsdPerDay("0.20").build())
                    .build();
            CompletableFuture<RequestTrace> logged = new CompletableFuture<>();
            try (Gateway gateway = Gateway.builder()
                    .config(config)
                    .provider("@voice", key)
                    .logSink(logged::complete)
                    .build()) {
                CompletableFuture<Void> closed = new CompletableFuture<>();
                RealtimeListener listener = new RealtimeListener() {
                    @Override
                    public void onEvent(String json) {
                        JsonNode e = Json.parse(json);
                        String type = e.path("type").asText();
                        if (type.equals("response.done")) {
                            System.out.println("  <- response.done "
                                    + e.path("response").path("id").asText());
                        } else if (type.equals("error")) {
                            System.out.println(
                                    "  <- error " + e.path("error").path("type").asText() + ": "
                                            + e.path("error").path("message").asText());
                        } else {
                            System.out.println("  <- " + type);
                        }
                    }

                    @Override
                    public void onClose(int code, String reason) {
                        System.out.println("  closed " + code);
                        closed.complete(null);
                    }
                };
                RealtimeSession session = gateway.realtime(
                                GatewayRequest.realtime("gpt-realtime").build(), listener)
                        .get(10, TimeUnit.SECONDS);
                System.out.println("1. session open on " + session.trace().lastUsedOptionIndex());
                session.send(
                        """
                        {"type": "session.update", "session": {"type": "realtime", "instructions": "Be brief."}}""");
                for (int i = 0; i < 3; i++) { // the third response leaves no room for a fourth
                    session.send("{\"type\": \"response.create\"}");
                }
                closed.get(10, TimeUnit.SECONDS);
                RequestTrace trace = logged.get(10, TimeUnit.SECONDS);
                System.out.println("2. one trace for the session:");
                for (Attempt a : trace.attempts()) {
                    System.out.println("   " + a.targetPath() + " " + a.status()
                            + (a.errorClass() == null ? "" : " " + a.errorClass())
                            + (a.usage() == null
                                    ? ""
                                    : " tokens " + a.usage().promptTokens() + "+"
                                            + a.usage().completionTokens()
                                            + " (audio out " + a.usage().audioOutputTokens() + ") cost $"
                                            + a.cost().usd().toPlainString()));
                }
                System.out.println("3. total cost $" + trace.totalCost().usd().toPlainString());
            }
        }
    }
}
