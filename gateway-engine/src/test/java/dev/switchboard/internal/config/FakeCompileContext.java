package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.UpstreamRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link CompileContext} with fake providers (openai, anthropic, azure-openai), virtual keys
 * ({@code @openai-prod}, {@code @claude}) and checks ({@code default.regexMatch},
 * {@code default.contains}, {@code default.jsonSchema} after-request only, {@code acme.redact}).
 */
final class FakeCompileContext implements CompileContext {
    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final Map<String, ProviderCredentials> keys = new LinkedHashMap<>();
    private final Map<String, GuardrailCheck> checks = new LinkedHashMap<>();

    FakeCompileContext() {
        register(provider(Set.of("openai"), Set.of("openai_organization", "openai_project")));
        register(provider(Set.of("anthropic"), Set.of("anthropic_version", "anthropic_beta")));
        register(new FakeProvider(Set.of("azure-openai"), Set.of("resource_name", "deployment_id", "api_version")) {
            @Override
            public List<String> validateOptions(String providerId, ObjectNode options) {
                List<String> problems = new ArrayList<>();
                if (!options.has("resource_name")) {
                    problems.add("resource_name: required for azure-openai");
                }
                return problems;
            }
        });
        keys.put(
                "@openai-prod",
                ProviderCredentials.builder("openai").secret("sk-prod").build());
        keys.put(
                "@claude",
                ProviderCredentials.builder("anthropic").secret("sk-ant").build());
        keys.put(
                "@azure-eu",
                ProviderCredentials.builder("azure-openai")
                        .secret("az")
                        .option("resource_name", "eu")
                        .build());
        keys.put(
                "@ghost",
                ProviderCredentials.builder("unregistered").secret("x").build());
        check("default.regexMatch", EnumSet.allOf(HookEvent.class));
        check("default.contains", EnumSet.allOf(HookEvent.class));
        check("default.jsonSchema", EnumSet.of(HookEvent.AFTER_REQUEST));
        check("acme.redact", EnumSet.allOf(HookEvent.class));
    }

    private void register(Provider p) {
        p.ids().forEach(id -> providers.put(id, p));
    }

    private static Provider provider(Set<String> ids, Set<String> optionKeys) {
        return new FakeProvider(ids, optionKeys);
    }

    private void check(String id, Set<HookEvent> events) {
        checks.put(id, new GuardrailCheck() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Set<HookEvent> supportedEvents() {
                return events;
            }

            @Override
            public CheckOutcome check(CheckContext context, ObjectNode parameters) {
                return CheckOutcome.pass(null);
            }
        });
    }

    @Override
    public Optional<Provider> provider(String providerId) {
        return Optional.ofNullable(providers.get(providerId));
    }

    @Override
    public Set<String> providerIds() {
        return providers.keySet();
    }

    @Override
    public Optional<ProviderCredentials> virtualKey(String slug) {
        return Optional.ofNullable(keys.get(slug));
    }

    @Override
    public Set<String> virtualKeys() {
        return keys.keySet();
    }

    @Override
    public Optional<GuardrailCheck> check(String checkId) {
        return Optional.ofNullable(checks.get(checkId));
    }

    @Override
    public Set<String> checkIds() {
        return checks.keySet();
    }

    /** A provider that only answers the config-time questions. */
    private static class FakeProvider implements Provider {
        private final Set<String> ids;
        private final Set<String> optionKeys;

        FakeProvider(Set<String> ids, Set<String> optionKeys) {
            this.ids = ids;
            this.optionKeys = optionKeys;
        }

        @Override
        public Set<String> ids() {
            return ids;
        }

        @Override
        public Set<String> optionKeys(String providerId) {
            return optionKeys;
        }

        @Override
        public boolean supports(String providerId, Endpoint endpoint) {
            return true;
        }

        @Override
        public UpstreamRequest prepare(ProviderCall call) {
            throw new UnsupportedOperationException("config tests never call a provider");
        }

        @Override
        public ProviderReply translate(ProviderCall call, HttpReply reply) {
            throw new UnsupportedOperationException("config tests never call a provider");
        }

        @Override
        public StreamTranslator streamTranslator(ProviderCall call) {
            throw new UnsupportedOperationException("config tests never call a provider");
        }
    }
}
