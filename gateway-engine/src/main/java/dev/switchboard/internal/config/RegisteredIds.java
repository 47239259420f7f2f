package dev.switchboard.internal.config;

import dev.switchboard.spi.support.NearestName;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Problems for a provider or guardrail check id that is not registered, written for a newcomer:
 * when nothing of the kind is registered at all, which artifact adds them and how they are found;
 * otherwise the nearest id ("did you mean"), through a table of the names people commonly type for
 * a provider ({@code claude} → {@code anthropic}), and the list of valid ids.
 *
 * <pre>{@code
 * /provider: found provider "claude", expected a registered provider id: one of [anthropic, ...] (did you mean "anthropic"?)
 * /provider: found provider "openai", expected a registered provider id, but no provider is registered: add ...
 * }</pre>
 */
final class RegisteredIds {
    static final String PROVIDERS_ARTIFACT = "dev.switchboard:plugins-providers";
    static final String GUARDRAILS_ARTIFACT = "dev.switchboard:plugins-guardrails";

    /** Names a newcomer types for a provider, by the id that serves it. */
    static final Map<String, String> PROVIDER_ALIASES = Map.ofEntries(
            Map.entry("claude", "anthropic"),
            Map.entry("gemini", "google"),
            Map.entry("vertex", "vertex-ai"),
            Map.entry("azure", "azure-openai"),
            Map.entry("aws", "bedrock"),
            Map.entry("amazon", "bedrock"),
            Map.entry("mistral", "mistral-ai"),
            Map.entry("together", "together-ai"),
            Map.entry("fireworks", "fireworks-ai"),
            Map.entry("xai", "x-ai"),
            Map.entry("grok", "x-ai"),
            Map.entry("perplexity", "perplexity-ai"));

    private RegisteredIds() {}

    /** Reports {@code id}, written at {@code pointer}, as not a registered provider id. */
    static void unknownProvider(Problems problems, String pointer, String found, String id, Collection<String> ids) {
        if (ids.isEmpty()) {
            problems.add(
                    pointer,
                    found,
                    "a registered provider id, but "
                            + noneRegistered("provider", PROVIDERS_ARTIFACT, "register(provider)"));
            return;
        }
        String alias = PROVIDER_ALIASES.get(id.toLowerCase(Locale.ROOT));
        String suggestion = alias != null && ids.contains(alias) ? alias : NearestName.suggest(id, ids);
        problems.add(pointer, found, "a registered provider id: one of " + new TreeSet<>(ids), suggestion);
    }

    /** Reports {@code id}, written at {@code pointer}, as not a registered guardrail check id. */
    static void unknownCheck(Problems problems, String pointer, String id, Collection<String> ids) {
        String found = "check \"" + id + "\"";
        if (ids.isEmpty()) {
            problems.add(
                    pointer,
                    found,
                    "a registered check id, but "
                            + noneRegistered("guardrail check", GUARDRAILS_ARTIFACT, "register(check)"));
            return;
        }
        String suggestion = NearestName.suggest(id, ids);
        if (suggestion == null && id.indexOf('.') < 0) {
            // "regexMatch" for "default.regexMatch": the namespace is what is missing
            for (String candidate : new TreeSet<>(ids)) {
                if (candidate.toLowerCase(Locale.ROOT).endsWith("." + id.toLowerCase(Locale.ROOT))) {
                    suggestion = candidate;
                    break;
                }
            }
        }
        problems.add(pointer, found, "a registered check id: one of " + new TreeSet<>(ids), suggestion);
    }

    private static String noneRegistered(String kind, String artifact, String register) {
        return "no " + kind + " is registered: add the dependency " + artifact
                + " (found through ServiceLoader) or call Gateway.builder()." + register;
    }
}
