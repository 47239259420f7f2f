package dev.switchboard.internal;

import dev.switchboard.ConfigException;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.internal.config.CompileContext;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.Provider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Providers, guardrail checks and virtual keys by id. Discovery follows SLF4J's habit: each
 * {@code ServiceLoader} entry is instantiated on its own so one broken jar cannot take the rest
 * down; explicit registrations win over discovered ones; two discovered (or two registered)
 * plugins with the same id are an error naming both classes.
 */
public final class Registry implements CompileContext {
    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

    private final Map<String, Provider> providers;
    private final Map<String, GuardrailCheck> checks;
    private final Map<String, ProviderCredentials> keys;

    private Registry(
            Map<String, Provider> providers,
            Map<String, GuardrailCheck> checks,
            Map<String, ProviderCredentials> keys) {
        this.providers = Collections.unmodifiableMap(providers);
        this.checks = Collections.unmodifiableMap(checks);
        this.keys = Collections.unmodifiableMap(keys);
    }

    /**
     * Builds the registry.
     *
     * @param explicitProviders registered on the builder (win over discovery)
     * @param explicitChecks    registered on the builder (win over discovery)
     * @param keys              virtual keys by slug ({@code @openai-prod})
     * @param discover          whether to use {@code ServiceLoader}
     */
    public static Registry create(
            List<Provider> explicitProviders,
            List<GuardrailCheck> explicitChecks,
            Map<String, ProviderCredentials> keys,
            boolean discover,
            ClassLoader loader) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        Map<String, Provider> providers = new LinkedHashMap<>();
        Map<String, GuardrailCheck> checks = new LinkedHashMap<>();
        if (discover) {
            for (Provider p : load(Provider.class, loader)) {
                for (String id : p.ids()) {
                    Provider prev = providers.putIfAbsent(id, p);
                    if (prev != null && prev.getClass() != p.getClass()) {
                        problems.add(duplicate("provider", id, prev.getClass(), p.getClass()));
                    }
                }
            }
            for (GuardrailCheck c : load(GuardrailCheck.class, loader)) {
                GuardrailCheck prev = checks.putIfAbsent(c.id(), c);
                if (prev != null && prev.getClass() != c.getClass()) {
                    problems.add(duplicate("guardrail check", c.id(), prev.getClass(), c.getClass()));
                }
            }
        }
        Map<String, Provider> explicitP = new LinkedHashMap<>();
        for (Provider p : explicitProviders) {
            for (String id : p.ids()) {
                Provider prev = explicitP.putIfAbsent(id, p);
                if (prev != null && prev != p) {
                    problems.add(duplicate("provider", id, prev.getClass(), p.getClass()));
                }
            }
        }
        providers.putAll(explicitP);
        Map<String, GuardrailCheck> explicitC = new LinkedHashMap<>();
        for (GuardrailCheck c : explicitChecks) {
            GuardrailCheck prev = explicitC.putIfAbsent(c.id(), c);
            if (prev != null && prev != c) {
                problems.add(duplicate("guardrail check", c.id(), prev.getClass(), c.getClass()));
            }
        }
        checks.putAll(explicitC);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Registry(providers, checks, new LinkedHashMap<>(keys));
    }

    private static ConfigException.Problem duplicate(String kind, String id, Class<?> a, Class<?> b) {
        return new ConfigException.Problem(
                "",
                kind + " id \"" + id + "\" claimed by " + a.getName() + " and " + b.getName(),
                "each id to be provided by one class (remove one jar, or register the one you want explicitly)",
                null);
    }

    private static <T> List<T> load(Class<T> type, ClassLoader loader) {
        List<T> found = new ArrayList<>();
        Iterator<T> it = ServiceLoader.load(type, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.warn("skipping a {} plugin that failed to load: {}", type.getSimpleName(), e.getMessage());
            }
        }
        return found;
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
}
