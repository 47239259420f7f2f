package dev.switchboard.internal.config;

import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.Provider;
import java.util.Optional;
import java.util.Set;

/** What the config compiler may look up: registered providers, virtual keys and guardrail checks. */
public interface CompileContext {
    Optional<Provider> provider(String providerId);

    Set<String> providerIds();

    /** A registered virtual key by its slug including the {@code @} ({@code @openai-prod}). */
    Optional<ProviderCredentials> virtualKey(String slug);

    Set<String> virtualKeys();

    Optional<GuardrailCheck> check(String checkId);

    Set<String> checkIds();
}
