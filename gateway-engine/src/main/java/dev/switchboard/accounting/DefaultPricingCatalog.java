package dev.switchboard.accounting;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.spi.ModelPrice;
import dev.switchboard.spi.PricingCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The pricing catalog shipped with Switchboard: {@code dev/switchboard/pricing/catalog.json}, built
 * by {@code tools/pricing/build_catalog.py} from LiteLLM's price map (MIT, licence next to it), plus
 * the application's overrides.
 *
 * <pre>{@code
 * PricingCatalog prices = DefaultPricingCatalog.bundled()
 *         .withOverride("openai", "gpt-4o", ModelPrice.of(new BigDecimal("2e-6"), new BigDecimal("8e-6")));
 * prices.price("openai", "gpt-4o-2024-08-06");   // the override: it covers dated variants too
 * }</pre>
 *
 * <p>Lookup normalises the model name, trying in order: the name as given (lower-cased); without a
 * provider prefix the caller may have kept ({@code gemini/}, {@code models/}, …); Vertex's
 * {@code @date} suffix removed; Bedrock's cross-region prefix ({@code us.}, {@code eu.},
 * {@code apac.}, {@code global.} …) removed; a date suffix ({@code -2024-08-06}, {@code -20241022})
 * removed; a fine-tuned id ({@code ft:gpt-4o-2024-08-06:org::id}) reduced to its base
 * {@code ft:<model>}. Overrides are searched over all these forms before the bundled prices, so an
 * override of {@code gpt-4o} also prices {@code gpt-4o-2024-08-06}. Prices never cross providers.
 *
 * <p>Media models carry their own units: {@code image} (USD per image; image models are also keyed
 * by quality and size as LiteLLM keys them, {@code openai/hd/1024-x-1024/dall-e-3}, a per-pixel price
 * turned into a per-image one), {@code per_second} (transcription), {@code per_character} (speech),
 * {@code image_input}/{@code image_output} (USD per image token, {@code gpt-image-1}).
 *
 * <p>Each model also carries its output limit ({@code max_output}, LiteLLM's {@code max_output_tokens};
 * {@link ModelPrice#maxOutputTokens()}), which admission uses to bound a request's reservation. An
 * override without a limit keeps the bundled model's limit.
 */
public final class DefaultPricingCatalog implements PricingCatalog {
    private static final String RESOURCE = "/dev/switchboard/pricing/catalog.json";
    private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");
    private static final Pattern BEDROCK_REGION = Pattern.compile("^(us|eu|apac|ap|global|us-gov|jp|au|ca)\\.");
    private static final Pattern VERTEX_VERSION = Pattern.compile("@[^/]*$");
    private static final List<String> MODEL_PREFIXES = List.of(
            "models/",
            "gemini/",
            "vertex_ai/",
            "azure/",
            "bedrock/",
            "mistral/",
            "groq/",
            "deepseek/",
            "together_ai/",
            "fireworks_ai/",
            "cohere/",
            "openai/",
            "anthropic/");
    private static final Map<String, String> PROVIDER_ALIASES = Map.of(
            "azure",
            "azure-openai",
            "gemini",
            "google",
            "vertex",
            "vertex-ai",
            "mistral",
            "mistral-ai",
            "together",
            "together-ai",
            "fireworks",
            "fireworks-ai");

    private final String version;
    private final Map<String, ModelPrice> bundled;
    private final Map<String, ModelPrice> overrides;
    private static final int MAX_RESOLVED = 4096;
    private final java.util.concurrent.ConcurrentHashMap<String, Optional<ModelPrice>> resolved =
            new java.util.concurrent.ConcurrentHashMap<>();

    private DefaultPricingCatalog(String version, Map<String, ModelPrice> bundled, Map<String, ModelPrice> overrides) {
        this.version = version;
        this.bundled = bundled;
        this.overrides = overrides;
    }

    /** {@return the bundled catalog, loaded once per JVM} */
    public static DefaultPricingCatalog bundled() {
        return Bundled.INSTANCE;
    }

    /**
     * Reads a catalog in the bundled format, e.g. a newer one than the jar's.
     *
     * @param json {@code {"version": ..., "models": {"provider/model": {...}}}}; a model's fields are the
     *             prices ({@code input}, {@code output}, {@code cache_read}, {@code image}, {@code per_second},
     *             {@code per_character}, …) and {@code max_output}
     * @return the catalog
     * @throws IllegalArgumentException when the text is not such a catalog
     */
    public static DefaultPricingCatalog fromJson(String json) {
        try {
            return fromTree(MAPPER.readTree(json), "catalog JSON");
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed pricing catalog: " + e.getMessage(), e);
        }
    }

    /**
     * Overrides one model's prices, e.g. a negotiated rate or a model the catalog lacks.
     *
     * @param provider the provider id, e.g. {@code openai}
     * @param model    the model; the override also covers its normalised variants (dated, prefixed)
     * @param price    its prices
     * @return a new catalog; this one is unchanged
     */
    public DefaultPricingCatalog withOverride(String provider, String model, ModelPrice price) {
        Objects.requireNonNull(price, "price");
        Map<String, ModelPrice> o = new HashMap<>(overrides);
        o.put(
                providerId(provider) + "/"
                        + Objects.requireNonNull(model, "model").toLowerCase(Locale.ROOT),
                price);
        return new DefaultPricingCatalog(version, bundled, Map.copyOf(o));
    }

    @Override
    public Optional<ModelPrice> price(String provider, String model) {
        if (provider == null || model == null) {
            return Optional.empty();
        }
        // every attempt is priced: remember the normalised lookups (a few models per application)
        String key = provider + '\u0000' + model;
        Optional<ModelPrice> known = resolved.get(key);
        if (known != null) {
            return known;
        }
        Optional<ModelPrice> found = lookup(provider, model);
        if (resolved.size() < MAX_RESOLVED) {
            resolved.put(key, found);
        }
        return found;
    }

    private Optional<ModelPrice> lookup(String provider, String model) {
        String p = providerId(provider);
        List<String> names = candidates(model);
        ModelPrice override = find(overrides, p, names);
        if (override == null) {
            return Optional.ofNullable(find(bundled, p, names));
        }
        if (override.maxOutputTokens() == null) {
            // an override is about prices: the model's output limit stays the bundled one
            ModelPrice b = find(bundled, p, names);
            if (b != null && b.maxOutputTokens() != null) {
                return Optional.of(override.withMaxOutputTokens(b.maxOutputTokens()));
            }
        }
        return Optional.of(override);
    }

    private static ModelPrice find(Map<String, ModelPrice> prices, String provider, List<String> names) {
        if (prices.isEmpty()) {
            return null;
        }
        for (String name : names) {
            ModelPrice found = prices.get(provider + "/" + name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * The models this catalog prices for a provider, sorted: the bundled ones and the overrides, without
     * the quality/size keys of image prices ({@code hd/1024-x-1024/dall-e-3}). {@code GET /v1/models}
     * lists them for a target that names no model.
     *
     * @param provider the provider id, e.g. {@code openai}
     * @return the model names, lower-case; empty for a provider the catalog does not price
     */
    public List<String> models(String provider) {
        String prefix = providerId(provider) + "/";
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (Map<String, ModelPrice> m : List.of(bundled, overrides)) {
            for (String key : m.keySet()) {
                if (key.startsWith(prefix) && key.indexOf('/', prefix.length()) < 0) {
                    out.add(key.substring(prefix.length()));
                }
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String version() {
        return version + (overrides.isEmpty() ? "" : " + " + overrides.size() + " override(s)");
    }

    /** {@return the number of bundled models (overrides not counted)} */
    public int size() {
        return bundled.size();
    }

    @Override
    public String toString() {
        return "DefaultPricingCatalog{" + version() + ", " + bundled.size() + " models}";
    }

    private static String providerId(String provider) {
        String p = Objects.requireNonNull(provider, "provider").toLowerCase(Locale.ROOT);
        return PROVIDER_ALIASES.getOrDefault(p, p);
    }

    /** The names to try for a model, most specific first. */
    static List<String> candidates(String model) {
        Set<String> out = new LinkedHashSet<>();
        String m = model.trim().toLowerCase(Locale.ROOT);
        out.add(m);
        for (String prefix : MODEL_PREFIXES) {
            if (m.startsWith(prefix) && m.length() > prefix.length()) {
                m = m.substring(prefix.length());
                out.add(m);
                break;
            }
        }
        if (m.startsWith("ft:")) {
            String[] parts = m.split(":");
            if (parts.length > 2) {
                out.add("ft:" + parts[1]);
            }
        }
        String unversioned = VERTEX_VERSION.matcher(m).replaceFirst("");
        out.add(unversioned);
        String unregioned = BEDROCK_REGION.matcher(unversioned).replaceFirst("");
        out.add(unregioned);
        out.add(DATE_SUFFIX.matcher(unregioned).replaceFirst(""));
        return new ArrayList<>(out);
    }

    // USE_BIG_DECIMAL_FOR_FLOATS keeps "3.75e-06" exact instead of passing it through a double.
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static DefaultPricingCatalog fromTree(JsonNode root, String what) {
        JsonNode models = root.path("models");
        if (!root.path("version").isTextual() || !models.isObject()) {
            throw new IllegalArgumentException(what + ": expected {\"version\": \"...\", \"models\": {...}}");
        }
        Map<String, ModelPrice> prices = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = models.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode n = e.getValue();
            prices.put(
                    e.getKey().toLowerCase(Locale.ROOT),
                    new ModelPrice(
                            decimal(n, "input"),
                            decimal(n, "output"),
                            decimal(n, "cache_read"),
                            decimal(n, "cache_write"),
                            decimal(n, "reasoning"),
                            decimal(n, "audio_input"),
                            decimal(n, "audio_output"),
                            decimal(n, "image"),
                            decimal(n, "batch_discount"),
                            positiveCount(n, "max_output"),
                            decimal(n, "per_second"),
                            decimal(n, "per_character"),
                            decimal(n, "image_input"),
                            decimal(n, "image_output")));
        }
        return new DefaultPricingCatalog(root.path("version").asText(), Map.copyOf(prices), Map.of());
    }

    private static Long positiveCount(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong() || v.longValue() <= 0
                ? null
                : v.longValue();
    }

    private static BigDecimal decimal(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? null : v.decimalValue();
    }

    private static final class Bundled {
        static final DefaultPricingCatalog INSTANCE = load();

        private static DefaultPricingCatalog load() {
            try (InputStream in = DefaultPricingCatalog.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "pricing catalog resource " + RESOURCE + " is missing from the classpath");
                }
                return fromTree(MAPPER.readTree(in), RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read pricing catalog " + RESOURCE, e);
            }
        }
    }
}
