package dev.switchboard.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.switchboard.Gateway;
import dev.switchboard.api.Json;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Issue 16 finding 4 through the OpenAI SDK: the SDK's own bytes reach the provider when nothing rewrites them. */
class CallersBytesSdkTest {
    @Test
    void theProviderReceivesTheSdksBytes() {
        try (StubUpstream up = StubUpstream.start();
                Gateway gateway = Gateway.fromConfig("{\"provider\": \"openai\", \"api_key\": \"sk-upstream-key\","
                        + " \"custom_host\": \"" + up.openAiBaseUrl() + "\"}")) {
            up.setDefault(StubResponse.chatCompletion("ok"));
            OpenAIClient client = SwitchboardOpenAI.client(gateway);
            try {
                client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model("gpt-4o-mini")
                                .addUserMessage("Hello")
                                .putAdditionalBodyProperty(
                                        "x_exact", JsonValue.from(new BigDecimal("0.10000000000000000000000001")))
                                .build());
            } finally {
                client.close();
            }
            String sent = new String(up.lastRequest().body(), StandardCharsets.UTF_8);
            assertTrue(sent.contains("\"x_exact\":0.10000000000000000000000001"), sent);
            // re-serialising the gateway's tree would have rounded it: these are the SDK's bytes
            String tree = Json.text(Json.parse(sent));
            assertFalse(tree.contains("0.10000000000000000000000001"), tree);
            assertEquals("gpt-4o-mini", up.lastRequest().json().path("model").asText());
        }
    }
}
