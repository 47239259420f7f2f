package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.providers.openai.OpenAiProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Unknown provider and check ids get messages that teach: with nothing registered (the plugin jar
 * missing, simulated by {@code noDiscovery()}), which artifact to add; otherwise the nearest id,
 * through the names newcomers type ({@code claude}), and the valid ids.
 */
class RegistryMessagesTest {
    private static ConfigException.Problem problem(Gateway.Builder b) {
        ConfigException e = assertThrows(ConfigException.class, b::build);
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    @Test
    void withNoProviderRegisteredTheMessageNamesTheArtifactAndTheWaysIn() {
        ConfigException.Problem p =
                problem(Gateway.builder().noDiscovery().config("{\"provider\":\"openai\",\"api_key\":\"sk-test\"}"));
        assertEquals("/provider", p.path());
        String text = p.toString();
        assertTrue(text.contains("no provider is registered"), text);
        assertTrue(text.contains("dev.switchboard:plugins-providers"), text);
        assertTrue(text.contains("ServiceLoader") && text.contains("register("), text);
        assertNull(p.suggestion());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "claude,anthropic",
        "Claude,anthropic",
        "gemini,google",
        "azure,azure-openai",
        "aws,bedrock",
        "amazon,bedrock",
        "mistral,mistral-ai",
        "together,together-ai",
        "fireworks,fireworks-ai",
        "xai,x-ai",
        "grok,x-ai",
        "perplexity,perplexity-ai",
        "vertex,vertex-ai",
        "opena1,openai",
        "antropic,anthropic"
    })
    void anUnknownProviderGetsTheNearestIdAndTheList(String written, String suggested) {
        ConfigException.Problem p =
                problem(Gateway.builder().config("{\"provider\":\"" + written + "\",\"api_key\":\"sk-test\"}"));
        assertEquals("/provider", p.path());
        assertEquals(suggested, p.suggestion(), p.toString());
        assertTrue(p.expected().contains("[anthropic, azure-openai, bedrock, cohere"), p.toString());
        assertTrue(p.expected().contains("x-ai]"), p.toString());
    }

    @Test
    void anUnknownVirtualKeyProviderIsExplainedToo() {
        ConfigException.Problem p = problem(Gateway.builder()
                .config("{\"provider\":\"@c\"}")
                .provider(
                        "@c",
                        dev.switchboard.api.ProviderCredentials.builder("claude")
                                .secret("k")
                                .build()));
        assertEquals("anthropic", p.suggestion(), p.toString());
        assertTrue(p.found().contains("@c"), p.toString());
    }

    @Test
    void withNoCheckRegisteredTheMessageNamesTheGuardrailsArtifact() {
        ConfigException.Problem p = problem(Gateway.builder()
                .noDiscovery()
                .register(new OpenAiProvider())
                .config("{\"provider\":\"openai\",\"api_key\":\"sk-test\","
                        + "\"input_guardrails\":[{\"default.regexMatch\":{\"rule\":\"x\"}}]}"));
        String text = p.toString();
        assertTrue(text.contains("no guardrail check is registered"), text);
        assertTrue(text.contains("dev.switchboard:plugins-guardrails"), text);
        assertTrue(text.contains("ServiceLoader") && text.contains("register("), text);
    }

    @Test
    void anUnknownCheckGetsTheNearestIdAndTheList() {
        ConfigException.Problem p = problem(Gateway.builder()
                .config("{\"provider\":\"openai\",\"api_key\":\"sk-test\","
                        + "\"input_guardrails\":[{\"default.regexMatc\":{\"rule\":\"x\"}}]}"));
        assertEquals("default.regexMatch", p.suggestion(), p.toString());
        assertTrue(p.expected().contains("default.wordCount"), p.toString());
    }

    @Test
    void aCheckWithoutItsNamespaceSuggestsTheNamespacedId() {
        ConfigException.Problem p = problem(Gateway.builder()
                .config("{\"provider\":\"openai\",\"api_key\":\"sk-test\","
                        + "\"before_request_hooks\":[{\"type\":\"guardrail\",\"checks\":[{\"id\":\"regexMatch\","
                        + "\"parameters\":{\"rule\":\"x\"}}]}]}"));
        assertEquals("default.regexMatch", p.suggestion(), p.toString());
    }
}
