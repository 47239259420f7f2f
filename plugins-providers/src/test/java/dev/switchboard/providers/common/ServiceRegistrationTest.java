package dev.switchboard.providers.common;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.Provider;
import java.util.HashSet;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceRegistrationTest {
    @Test
    void serviceLoaderFindsTheOpenAiFamilyCohereAndMistralByTheirIds() {
        Set<String> ids = new HashSet<>();
        for (ServiceLoader.Provider<Provider> p :
                ServiceLoader.load(Provider.class).stream().toList()) {
            String name = p.type().getName();
            if (name.contains(".openai.")
                    || name.contains(".compat.")
                    || name.contains(".azure.")
                    || name.contains(".cohere.")
                    || name.contains(".mistral.")) {
                ids.addAll(p.get().ids());
            }
        }
        assertTrue(
                ids.containsAll(Set.of(
                        "openai",
                        "azure-openai",
                        "cohere",
                        "mistral-ai",
                        "groq",
                        "together-ai",
                        "fireworks-ai",
                        "deepseek",
                        "openrouter",
                        "perplexity-ai",
                        "x-ai",
                        "ollama")),
                ids.toString());
    }
}
