package dev.switchboard.otel;

import dev.switchboard.api.Endpoint;
import io.opentelemetry.api.common.AttributeKey;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenTelemetry GenAI semantic-convention vocabulary Switchboard emits, plus its own
 * {@code switchboard.*} attributes, and how Switchboard's endpoint and provider ids map onto it.
 * Kept here rather than taken from the incubating semconv artifact, whose names still move.
 */
final class GenAiConventions {
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    static final AttributeKey<String> TARGET_PATH = AttributeKey.stringKey("switchboard.target_path");
    static final AttributeKey<Long> RETRY = AttributeKey.longKey("switchboard.retry");
    static final AttributeKey<String> CACHE_STATUS = AttributeKey.stringKey("switchboard.cache_status");
    static final AttributeKey<String> TRACE_ID = AttributeKey.stringKey("switchboard.trace_id");
    static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("switchboard.cost_usd");

    static final String TOKEN_INPUT = "input";
    static final String TOKEN_OUTPUT = "output";

    /** Bucket advice from the semconv for {@code gen_ai.client.token.usage}. */
    static final List<Long> TOKEN_BUCKETS = List.of(
            1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L, 16777216L, 67108864L);

    /** Bucket advice from the semconv for {@code gen_ai.client.operation.duration}, seconds. */
    static final List<Double> DURATION_BUCKETS =
            List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

    /** Gateway overhead is micro- to milliseconds, far below the provider-call buckets. Seconds. */
    static final List<Double> OVERHEAD_BUCKETS = List.of(
            0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
            0.5, 1.0);

    // Switchboard / Portkey provider ids (and common aliases) -> gen_ai.provider.name well-known values.
    private static final Map<String, String> PROVIDERS = Map.ofEntries(
            Map.entry("openai", "openai"),
            Map.entry("azure-openai", "azure.ai.openai"),
            Map.entry("azure_openai", "azure.ai.openai"),
            Map.entry("anthropic", "anthropic"),
            Map.entry("google", "gcp.gemini"),
            Map.entry("gemini", "gcp.gemini"),
            Map.entry("vertex-ai", "gcp.vertex_ai"),
            Map.entry("google-vertex-ai", "gcp.vertex_ai"),
            Map.entry("vertex_ai", "gcp.vertex_ai"),
            Map.entry("bedrock", "aws.bedrock"),
            Map.entry("aws-bedrock", "aws.bedrock"),
            Map.entry("cohere", "cohere"),
            Map.entry("mistral-ai", "mistral_ai"),
            Map.entry("mistral", "mistral_ai"),
            Map.entry("groq", "groq"),
            Map.entry("deepseek", "deepseek"),
            Map.entry("x-ai", "x_ai"),
            Map.entry("xai", "x_ai"),
            Map.entry("perplexity-ai", "perplexity"),
            Map.entry("perplexity", "perplexity"));

    private GenAiConventions() {}

    /** {@code gen_ai.operation.name}: the semconv name where one exists, else the endpoint in snake case. */
    static String operationName(Endpoint endpoint) {
        if (endpoint == null) {
            return "unknown";
        }
        switch (endpoint) {
            case CHAT_COMPLETIONS:
                return "chat";
            case COMPLETIONS:
                return "text_completion";
            case EMBEDDINGS:
                return "embeddings";
            default:
                return endpoint.name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code gen_ai.provider.name} for a Switchboard provider id; ids without a semconv value pass through. */
    static String providerName(String providerId) {
        if (providerId == null) {
            return null;
        }
        String known = PROVIDERS.get(providerId.toLowerCase(Locale.ROOT));
        return known != null ? known : providerId;
    }
}
