package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.ConfigException;
import dev.switchboard.api.Json;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.internal.EnvReferences;
import dev.switchboard.internal.Redactor;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.support.NearestName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Validates a Portkey-format config and compiles it into the immutable tree the router walks, with
 * every inherited setting resolved. All problems are collected and thrown together as one
 * {@link ConfigException}; nothing about a config is left to be discovered at request time.
 *
 * <pre>{@code
 * CompiledConfig compiled = ConfigCompiler.compile(Json.parse("""
 *     {"strategy": {"mode": "fallback"},
 *      "targets": [{"provider": "openai", "api_key": "sk-…"}, {"provider": "@anthropic-prod"}]}
 *     """), context);
 * compiled.root();   // StrategyNode config, children config.targets[0], config.targets[1]
 * }</pre>
 */
public final class ConfigCompiler {
    private static final String NODE_SHAPE =
            "a target (provider or virtual_key) or a strategy node (strategy and targets)";

    private final CompileContext ctx;
    private final Function<String, String> env;
    private final Problems problems = new Problems();
    /** Secret values as expanded from the environment, to be masked in problems. */
    private final List<String> expandedSecrets = new ArrayList<>();

    private ConfigCompiler(CompileContext ctx, Function<String, String> env) {
        this.ctx = ctx;
        this.env = env;
    }

    /**
     * Compiles a per-request config: like the gateway's own, except that the environment is not
     * read — a {@code ${VAR}} in a secret field is a problem, so a request cannot have an environment
     * variable sent to a host of its choosing.
     *
     * @throws ConfigException listing every problem found, each with its JSON pointer
     */
    public static CompiledConfig compile(JsonNode config, CompileContext ctx) {
        return compile(config, ctx, null);
    }

    /**
     * Compiles the gateway's own config, expanding {@code ${VAR}} in {@code api_key} and in each
     * provider's {@link Provider#secretKeys secret fields} from {@code env} (<code>$${</code> is a
     * literal <code>${</code>). An unset or empty variable is a problem naming the field's pointer and the
     * variable, never a value.
     *
     * @param env the environment; null refuses references, as for a per-request config
     * @throws ConfigException listing every problem found, each with its JSON pointer
     */
    public static CompiledConfig compile(JsonNode config, CompileContext ctx, Function<String, String> env) {
        // before anything walks the tree recursively (the compiler, deepCopy): a config built in code
        // has not been through the parser's depth limit
        String beyond = Json.pointerBeyond(config, Json.MAX_NESTING_DEPTH);
        if (beyond != null) {
            throw new ConfigException(
                    Json.shortPointer(beyond),
                    "JSON nested deeper than " + Json.MAX_NESTING_DEPTH + " levels",
                    "at most " + Json.MAX_NESTING_DEPTH + " levels of nesting (objects and arrays)",
                    null);
        }
        ConfigCompiler compiler = new ConfigCompiler(ctx, env);
        try {
            ConfigObject root = ConfigObject.of(config, "", compiler.problems, "a config object");
            ConfigNode node = root == null ? null : compiler.node(root, "config", Settings.defaults());
            compiler.problems.throwIfAny();
            return new CompiledConfig(node, config.deepCopy(), compiler.problems.warnings());
        } catch (ConfigException e) {
            throw redacted(e, config, compiler.expandedSecrets);
        }
    }

    /**
     * {@code e} with every secret the config holds (as written, and as expanded from the
     * environment) masked in its problems, besides the key-shaped text every problem masks.
     */
    public static ConfigException redacted(ConfigException e, JsonNode config, java.util.Collection<String> more) {
        List<String> secrets = new ArrayList<>(more);
        Redactor.collectConfigSecrets(config, secrets);
        return redacted(e, Redactor.patterns().with(secrets));
    }

    /** {@code e} with its problems passed through {@code r}. */
    public static ConfigException redacted(ConfigException e, Redactor r) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        for (ConfigException.Problem p : e.problems()) {
            problems.add(new ConfigException.Problem(
                    p.path(), r.redact(p.found()), r.redact(p.expected()), r.redact(p.suggestion())));
        }
        ConfigException out = new ConfigException(problems);
        out.setStackTrace(e.getStackTrace());
        return out;
    }

    /** Compiles one node; returns null when it has problems (they are recorded). */
    private ConfigNode node(ConfigObject o, String path, Settings inherited) {
        int before = problems.size();
        if (o.has("options")) {
            problems.add(
                    o.at("options"),
                    "a legacy \"options\" key",
                    "targets (legacy config format (options) is not supported; use targets)");
        }
        boolean routing = o.has("strategy") || o.has("targets");
        boolean leaf = o.has("provider") || o.has("virtual_key");
        if (routing && leaf) {
            problems.add(o.pointer(), "both strategy/targets and provider/virtual_key", NODE_SHAPE);
        } else if (!routing && !leaf) {
            problems.add(o.pointer(), "an object with keys " + o.keys(), NODE_SHAPE);
        }
        String name = o.text("name");
        Double weight = o.number("weight", w -> w >= 0, "a number ≥ 0");
        o.text("id");
        o.statusCodes("on_status_codes");
        ConfigNode node;
        if (routing) {
            node = strategyNode(o, path, inherited, name, weight, leaf);
        } else {
            node = leafNode(o, path, inherited, name, weight, leaf);
        }
        return problems.grewSince(before) ? null : node;
    }

    private ConfigNode strategyNode(
            ConfigObject o, String path, Settings inherited, String name, Double weight, boolean alsoLeaf) {
        Set<String> accepted = ConfigKeys.STRATEGY_NODE;
        if (alsoLeaf) {
            // already reported as ambiguous: don't also call its leaf keys unknown
            accepted = ConfigKeys.union(ConfigKeys.union(accepted, ConfigKeys.LEAF), allOptionKeys());
        }
        o.rejectUnknownKeys(accepted, "a strategy node");
        ConfigObject strategy = o.require("strategy", "a strategy object ({\"mode\": \"fallback\"})")
                ? o.child("strategy", "a strategy object ({\"mode\": \"fallback\"})")
                : null;
        ArrayNode targetsJson = null;
        if (o.require("targets", "a non-empty array of targets")) {
            targetsJson = o.array("targets", "a non-empty array of targets");
            if (targetsJson != null && targetsJson.isEmpty()) {
                o.report("targets", "a non-empty array of targets");
                targetsJson = null;
            }
        }
        Strategy parsed = strategy == null ? null : strategy(strategy, targetsJson, o.at("targets"));
        Settings settings = SettingsParser.parse(o, strategy, ctx).resolve(inherited);
        List<ConfigNode> children = new ArrayList<>();
        if (targetsJson != null) {
            for (int i = 0; i < targetsJson.size(); i++) {
                ConfigObject child = ConfigObject.of(
                        targetsJson.get(i), ConfigObject.pointer(o.at("targets"), i), problems, NODE_SHAPE);
                children.add(child == null ? null : node(child, path + ".targets[" + i + "]", settings));
            }
        }
        return new StrategyNode(
                path,
                o.pointer(),
                name,
                weight == null ? 1 : weight,
                settings,
                parsed,
                children.contains(null) ? List.of() : children);
    }

    private Strategy strategy(ConfigObject s, ArrayNode targets, String targetsPointer) {
        s.rejectUnknownKeys(ConfigKeys.STRATEGY, "strategy");
        Strategy.Mode mode = null;
        if (s.require("mode", "one of single, fallback, loadbalance, conditional")) {
            mode = mode(s);
        }
        Set<Integer> onStatusCodes = s.statusCodes("on_status_codes");
        List<String> names = targetNames(targets, targetsPointer, mode == Strategy.Mode.CONDITIONAL);
        List<Condition> conditions = new ArrayList<>();
        String defaultTarget = null;
        if (mode == Strategy.Mode.CONDITIONAL) {
            conditions = conditions(s, names);
            defaultTarget = s.text("default");
            if (defaultTarget != null) {
                requireTargetName(defaultTarget, s.at("default"), names);
            }
        } else if (mode != null) {
            for (String key : List.of("conditions", "default")) {
                if (s.has(key)) {
                    s.report(key, "no " + key + " (only used by mode conditional, mode is " + mode.wire() + ")");
                }
            }
        }
        if (mode == Strategy.Mode.LOADBALANCE && targets != null && allWeightsZero(targets)) {
            problems.add(targetsPointer, "every target with weight 0", "at least one target with weight > 0");
        }
        HedgeSettings hedge = null;
        if (s.has("hedge")) {
            if (mode == Strategy.Mode.FALLBACK || mode == Strategy.Mode.LOADBALANCE) {
                hedge = hedge(s);
                if (targets != null && targets.size() < 2) {
                    s.report(
                            "hedge",
                            "no hedge on a node with one target (a hedge sends the request to the next"
                                    + " target too)");
                }
            } else if (mode != null) {
                s.report("hedge", "no hedge (only used by mode fallback or loadbalance, mode is " + mode.wire() + ")");
            }
        }
        AdaptiveSettings adaptive = null;
        if (s.has("adaptive")) {
            if (mode == Strategy.Mode.LOADBALANCE) {
                adaptive = adaptive(s);
            } else if (mode != null) {
                s.report("adaptive", "no adaptive (only used by mode loadbalance, mode is " + mode.wire() + ")");
            }
        }
        return mode == null ? null : new Strategy(mode, onStatusCodes, conditions, defaultTarget, hedge, adaptive);
    }

    private static final String HEDGE_SHAPE =
            "a hedge object: {\"after_ms\": 800} or {\"percentile\": 95} (optional min_ms, max_ms, default_ms,"
                    + " min_samples)";

    /** {@code strategy.hedge}: a fixed delay or a percentile of the target's time to first byte; null after a problem. */
    private HedgeSettings hedge(ConfigObject s) {
        ConfigObject h = s.child("hedge", HEDGE_SHAPE);
        if (h == null) {
            return null;
        }
        int before = problems.size();
        h.rejectUnknownKeys(ConfigKeys.HEDGE, "hedge");
        Long after = h.integer("after_ms", n -> n >= 1 && n <= 600_000, "an integer number of ms from 1 to 600000");
        Double pct = h.number("percentile", p -> p >= 50 && p <= 99.9, "a percentile from 50 to 99.9");
        Long min = h.integer("min_ms", n -> n >= 1 && n <= 600_000, "an integer number of ms from 1 to 600000");
        Long max = h.integer("max_ms", n -> n >= 1 && n <= 600_000, "an integer number of ms from 1 to 600000");
        Long dflt = h.integer("default_ms", n -> n >= 1 && n <= 600_000, "an integer number of ms from 1 to 600000");
        Long samples = h.integer("min_samples", n -> n >= 1 && n <= 1000, "an integer from 1 to 1000");
        boolean hasAfter = h.has("after_ms");
        boolean hasPct = h.has("percentile");
        if (hasAfter == hasPct) {
            problems.add(
                    h.pointer(),
                    hasAfter ? "both after_ms and percentile" : "neither after_ms nor percentile",
                    "exactly one of after_ms (a fixed delay) and percentile (of the target's observed time to first"
                            + " byte)");
        }
        if (hasAfter) {
            for (String key : List.of("min_ms", "max_ms", "default_ms", "min_samples")) {
                if (h.has(key)) {
                    h.report(key, "no " + key + " (only used with percentile; after_ms is a fixed delay)");
                }
            }
        }
        long minMs = min == null ? HedgeSettings.DEFAULT_MIN_MS : min;
        long maxMs = max == null ? Math.max(HedgeSettings.DEFAULT_MAX_MS, minMs) : max;
        if (min != null && max != null && min > max) {
            h.report("max_ms", "max_ms ≥ min_ms (" + min + ")");
        }
        long defaultMs = dflt == null ? Math.min(Math.max(HedgeSettings.DEFAULT_DEFAULT_MS, minMs), maxMs) : dflt;
        if (problems.grewSince(before)) {
            return null;
        }
        return new HedgeSettings(
                after,
                pct,
                minMs,
                maxMs,
                defaultMs,
                samples == null ? HedgeSettings.DEFAULT_MIN_SAMPLES : samples.intValue());
    }

    /** {@code strategy.adaptive}: {@code true}, or an object of tuning values; null when off or after a problem. */
    private AdaptiveSettings adaptive(ConfigObject s) {
        String shape = "true, false or an adaptive object {\"half_life_ms\", \"min_share\", \"quota_reserve\"}";
        JsonNode v = s.get("adaptive");
        if (v.isBoolean()) {
            return v.booleanValue() ? AdaptiveSettings.defaults() : null;
        }
        ConfigObject a = s.child("adaptive", shape);
        if (a == null) {
            return null;
        }
        int before = problems.size();
        a.rejectUnknownKeys(ConfigKeys.ADAPTIVE, "adaptive");
        Long halfLife = a.integer(
                "half_life_ms", n -> n >= 1 && n <= 86_400_000L, "an integer number of ms from 1 to 86400000");
        Double minShare = a.number("min_share", x -> x >= 0 && x <= 1, "a fraction from 0 to 1");
        Double reserve = a.number("quota_reserve", x -> x >= 0 && x < 1, "a fraction from 0 (inclusive) to 1");
        if (problems.grewSince(before)) {
            return null;
        }
        return new AdaptiveSettings(
                halfLife == null ? AdaptiveSettings.DEFAULT_HALF_LIFE_MS : halfLife,
                minShare == null ? AdaptiveSettings.DEFAULT_MIN_SHARE : minShare,
                reserve == null ? AdaptiveSettings.DEFAULT_QUOTA_RESERVE : reserve);
    }

    private Strategy.Mode mode(ConfigObject s) {
        JsonNode value = s.get("mode");
        List<String> wires =
                Arrays.stream(Strategy.Mode.values()).map(Strategy.Mode::wire).toList();
        if (value.isTextual()) {
            for (Strategy.Mode m : Strategy.Mode.values()) {
                if (m.wire().equals(value.textValue())) {
                    return m;
                }
            }
        }
        problems.add(
                s.at("mode"),
                Found.value(value),
                "one of " + wires,
                value.isTextual() ? NearestName.suggest(value.textValue(), wires) : null);
        return null;
    }

    private List<Condition> conditions(ConfigObject s, List<String> names) {
        List<Condition> conditions = new ArrayList<>();
        if (!s.require("conditions", "a non-empty array of {\"query\": {...}, \"then\": \"<target name>\"}")) {
            return conditions;
        }
        ArrayNode array = s.array("conditions", "a non-empty array of {\"query\": {...}, \"then\": \"<target name>\"}");
        if (array == null) {
            return conditions;
        }
        if (array.isEmpty()) {
            s.report("conditions", "a non-empty array of {\"query\": {...}, \"then\": \"<target name>\"}");
        }
        for (int i = 0; i < array.size(); i++) {
            String pointer = ConfigObject.pointer(s.at("conditions"), i);
            ConfigObject c = ConfigObject.of(
                    array.get(i), pointer, problems, "a condition {\"query\": {...}, \"then\": \"<target name>\"}");
            if (c == null) {
                continue;
            }
            c.rejectUnknownKeys(ConfigKeys.CONDITION, "a condition");
            Query query = c.require("query", "a query object")
                    ? QueryCompiler.compile(c.get("query"), c.at("query"), problems)
                    : null;
            String then = c.require("then", "the name of one of this node's targets") ? c.text("then") : null;
            if (then != null) {
                requireTargetName(then, c.at("then"), names);
            }
            conditions.add(new Condition(query, then, pointer));
        }
        return conditions;
    }

    private void requireTargetName(String name, String pointer, List<String> names) {
        if (!names.contains(name)) {
            problems.add(
                    pointer,
                    "target name \"" + name + "\"",
                    "the name of one of this node's targets " + names,
                    NearestName.suggest(name, names));
        }
    }

    /** The {@code name}s of a node's targets as written (reported duplicates only matter for conditional). */
    private List<String> targetNames(ArrayNode targets, String targetsPointer, boolean mustBeUnique) {
        List<String> names = new ArrayList<>();
        if (targets == null) {
            return names;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < targets.size(); i++) {
            JsonNode name = targets.get(i).get("name");
            if (name != null && name.isTextual()) {
                if (!seen.add(name.textValue()) && mustBeUnique) {
                    problems.add(
                            ConfigObject.pointer(ConfigObject.pointer(targetsPointer, i), "name"),
                            Found.value(name),
                            "a target name not used by another target of this node");
                }
                names.add(name.textValue());
            }
        }
        return names;
    }

    private static boolean allWeightsZero(ArrayNode targets) {
        for (JsonNode t : targets) {
            JsonNode w = t.get("weight");
            if (w == null || !w.isNumber() || w.doubleValue() != 0) {
                return false; // absent = 1; a bad weight is reported on its own
            }
        }
        return true;
    }

    private ConfigNode leafNode(
            ConfigObject o, String path, Settings inherited, String name, Double weight, boolean isLeaf) {
        ResolvedProvider resolved = isLeaf ? provider(o) : null;
        Set<String> accepted = ConfigKeys.LEAF;
        if (resolved != null) {
            accepted = ConfigKeys.union(accepted, optionKeys(resolved.adapter, resolved.providerId));
        } else if (isLeaf) {
            // provider unknown (reported): still catch typos against any provider's fields
            accepted = ConfigKeys.union(accepted, allOptionKeys());
        }
        o.rejectUnknownKeys(accepted, isLeaf ? "a target" : "a node");
        o.text("api_key");
        JsonNode listModels = o.get("list_models");
        if (listModels != null
                && !(listModels.isTextual() && Set.of("config", "upstream").contains(listModels.asText()))) {
            o.report(
                    "list_models",
                    "\"config\" (the default: GET /v1/models lists the target's model) or"
                            + " \"upstream\" (also ask the provider's own list)");
        }
        Settings settings = SettingsParser.parse(o, null, ctx).resolve(inherited);
        if (resolved == null) {
            return null;
        }
        ObjectNode options = Json.object();
        Iterator<String> keys = o.node().fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!ConfigKeys.NOT_PROVIDER_OPTIONS.contains(key)) {
                options.set(key, o.get(key).deepCopy());
            }
        }
        if (settings.customHost() != null) {
            options.put("custom_host", settings.customHost());
        }
        int before = problems.size();
        expandSecrets(o, resolved, options);
        if (problems.grewSince(before)) {
            return null; // the adapter would only repeat that the secret is missing
        }
        validateHeaderValues(o, options);
        validateOptions(o, resolved, options);
        return new TargetNode(
                path,
                o.pointer(),
                name,
                weight == null ? 1 : weight,
                settings,
                resolved.providerId,
                resolved.virtualKey,
                options);
    }

    /** A leaf's provider: a registered id, or a virtual key ({@code @slug}) standing for one. */
    private record ResolvedProvider(
            String providerId, String virtualKey, Provider adapter, ProviderCredentials credentials) {}

    private ResolvedProvider provider(ConfigObject o) {
        String provider = o.text("provider");
        String virtualKey = o.text("virtual_key");
        if ((o.has("provider") && provider == null) || (o.has("virtual_key") && virtualKey == null)) {
            return null; // wrong type, already reported
        }
        if (virtualKey != null) {
            String slug = virtualKey.startsWith("@") ? virtualKey : "@" + virtualKey;
            ResolvedProvider resolved = virtualKey(slug, o, "virtual_key");
            if (resolved != null
                    && provider != null
                    && !provider.equals(slug)
                    && !provider.equals(resolved.providerId)) {
                problems.add(
                        o.at("virtual_key"),
                        "virtual key " + slug + " (provider " + resolved.providerId + ") next to provider \"" + provider
                                + "\"",
                        "provider and virtual_key naming the same key");
                return null;
            }
            return resolved;
        }
        if (provider.startsWith("@")) {
            return virtualKey(provider, o, "provider");
        }
        Optional<Provider> adapter = ctx.providerIds().contains(provider) ? ctx.provider(provider) : Optional.empty();
        if (adapter.isEmpty()) {
            RegisteredIds.unknownProvider(
                    problems, o.at("provider"), "provider \"" + provider + "\"", provider, ctx.providerIds());
            return null;
        }
        return new ResolvedProvider(provider, null, adapter.get(), null);
    }

    private ResolvedProvider virtualKey(String slug, ConfigObject o, String key) {
        Optional<ProviderCredentials> credentials = ctx.virtualKey(slug);
        if (credentials.isEmpty()) {
            problems.add(
                    o.at(key),
                    "virtual key \"" + slug + "\"",
                    "a registered virtual key",
                    NearestName.suggest(slug, ctx.virtualKeys()));
            return null;
        }
        String providerId = credentials.get().providerId();
        Optional<Provider> adapter =
                ctx.providerIds().contains(providerId) ? ctx.provider(providerId) : Optional.empty();
        if (adapter.isEmpty()) {
            RegisteredIds.unknownProvider(
                    problems,
                    o.at(key),
                    "virtual key \"" + slug + "\" for provider \"" + providerId + "\"",
                    providerId,
                    ctx.providerIds());
            return null;
        }
        return new ResolvedProvider(providerId, slug, adapter.get(), credentials.get());
    }

    /**
     * Replaces {@code ${VAR}} references in the target's secret fields ({@code api_key} and the
     * adapter's {@link Provider#secretKeys}) with the environment's values, in place in
     * {@code options}; each reference that cannot be expanded is a problem at its field.
     */
    private void expandSecrets(ConfigObject o, ResolvedProvider resolved, ObjectNode options) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add("api_key");
        Set<String> declared = resolved.adapter.secretKeys(resolved.providerId);
        if (declared != null) {
            keys.addAll(declared);
        }
        for (String key : keys) {
            JsonNode value = options.get(key);
            if (value != null) {
                JsonNode expanded = expand(value, o.at(key));
                if (expanded != null) {
                    options.set(key, expanded);
                }
            }
        }
    }

    /** {@code value} with its strings expanded (objects and arrays walked); null after a problem. */
    private JsonNode expand(JsonNode value, String pointer) {
        if (value.isTextual()) {
            try {
                String text = value.textValue();
                String expanded = EnvReferences.expand(text, env);
                if (!expanded.equals(text)) {
                    expandedSecrets.add(expanded);
                }
                return expanded.equals(text) ? value : TextNode.valueOf(expanded);
            } catch (EnvReferences.UnresolvedException e) {
                unresolved(pointer, e);
                return null;
            }
        }
        if (!value.isContainerNode()) {
            return value;
        }
        JsonNode copy = value.deepCopy();
        boolean ok = true;
        if (copy instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode e = expand(object.get(name), ConfigObject.pointer(pointer, name));
                ok &= e != null;
                object.set(name, e);
            }
        } else {
            ArrayNode array = (ArrayNode) copy;
            for (int i = 0; i < array.size(); i++) {
                JsonNode e = expand(array.get(i), ConfigObject.pointer(pointer, i));
                ok &= e != null;
                array.set(i, e);
            }
        }
        return ok ? copy : null;
    }

    private void unresolved(String pointer, EnvReferences.UnresolvedException e) {
        String reference = "\"${" + e.variable() + "}\"";
        switch (e.reason()) {
            case NOT_SET ->
                problems.add(
                        pointer,
                        reference,
                        "environment variable " + e.variable() + " to be set in the gateway's environment (it is not)");
            case EMPTY ->
                problems.add(
                        pointer,
                        reference,
                        "environment variable " + e.variable() + " to hold the secret (it is set but empty)");
            case NOT_ALLOWED ->
                problems.add(
                        pointer,
                        reference,
                        "the value itself: ${...} is expanded only in the"
                                + " gateway's own config, never in a per-request config");
            default ->
                problems.add(
                        pointer,
                        "a malformed ${...} reference",
                        "${NAME} with NAME of letters, digits and _ (write $${ for a literal ${)");
        }
    }

    /**
     * A target's text fields end up in HTTP headers or URLs (api_key, organization, region, custom
     * headers): a line break or other control character there is a problem naming the field and the
     * character — never the value. JSON documents (a service-account JSON) may span lines.
     */
    private void validateHeaderValues(ConfigObject o, ObjectNode options) {
        Iterator<java.util.Map.Entry<String, JsonNode>> it =
                options.properties().iterator();
        while (it.hasNext()) {
            java.util.Map.Entry<String, JsonNode> e = it.next();
            checkHeaderValue(o, e.getKey(), e.getKey(), e.getValue());
        }
    }

    private void checkHeaderValue(ConfigObject o, String field, String pointerField, JsonNode value) {
        if (value.isObject() && !field.toLowerCase(java.util.Locale.ROOT).endsWith("_json")) {
            // custom headers ({"x-team": "…"}) are header values too
            Iterator<java.util.Map.Entry<String, JsonNode>> it =
                    value.properties().iterator();
            while (it.hasNext()) {
                java.util.Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual()) {
                    checkHeaderValue(
                            o,
                            field + "/" + e.getKey(),
                            ConfigObject.pointer(o.at(pointerField), e.getKey()),
                            e.getValue());
                }
            }
            return;
        }
        if (!value.isTextual()
                || field.toLowerCase(java.util.Locale.ROOT).endsWith("_json")
                || value.textValue().stripLeading().startsWith("{")) {
            return;
        }
        String text = value.textValue();
        if (Redactor.controlCharacter(text) >= 0) {
            String pointer = pointerField.startsWith("/") ? pointerField : o.at(pointerField);
            problems.add(
                    pointer,
                    (Redactor.isSecretName(field) ? "a secret with " : "a value with ")
                            + Redactor.describeControl(text),
                    "a value without line breaks or control characters (it is sent"
                            + " in an HTTP header or URL; check for a trailing newline from a file or an environment variable)");
        }
    }

    /** Lets the adapter check the target's fields; a virtual key's stored fields count as written. */
    private void validateOptions(ConfigObject o, ResolvedProvider resolved, ObjectNode options) {
        ObjectNode view = options.deepCopy();
        ProviderCredentials credentials = resolved.credentials;
        if (credentials != null) {
            view = credentials.options();
            view.setAll(options.deepCopy());
            if (!view.has("api_key") && credentials.secret().isPresent()) {
                view.put("api_key", credentials.secret().get());
            }
            if (!view.has("custom_host") && credentials.baseUrl().isPresent()) {
                view.put("custom_host", credentials.baseUrl().get());
            }
        }
        List<String> messages;
        try {
            messages = resolved.adapter.validateOptions(resolved.providerId, view);
        } catch (RuntimeException e) {
            // the exception's message may quote a secret: name its class only
            problems.add(
                    o.pointer(),
                    "provider \"" + resolved.providerId + "\" failed to check this target ("
                            + e.getClass().getSimpleName() + ")",
                    "options the provider can check");
            return;
        }
        for (String message : messages == null ? List.<String>of() : messages) {
            if (message == null) {
                continue;
            }
            int colon = message.indexOf(": ");
            String field = colon > 0 ? message.substring(0, colon).trim() : null;
            String pointer = field == null || field.isEmpty() ? o.pointer() : o.at(field);
            String found = field == null ? "options " + Found.value(options) : Found.value(field, view.get(field));
            problems.add(pointer, found, colon > 0 ? message.substring(colon + 2) : message);
        }
    }

    private Set<String> optionKeys(Provider adapter, String providerId) {
        Set<String> keys = adapter.optionKeys(providerId);
        return keys == null ? Set.of() : keys;
    }

    private Set<String> allOptionKeys() {
        Set<String> all = new LinkedHashSet<>();
        for (String id : ctx.providerIds()) {
            ctx.provider(id).ifPresent(p -> all.addAll(optionKeys(p, id)));
        }
        return all;
    }
}
