package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns the Portkey request headers the engine does not read itself into the request's config:
 * {@code x-portkey-config} as the id of a config the server was started with,
 * {@code x-portkey-provider} with the provider's key ({@code Authorization: Bearer} or {@code x-api-key})
 * and the provider-specific headers, and {@code x-portkey-virtual-key}. The engine itself reads inline
 * {@code x-portkey-config}, {@code x-portkey-metadata}, {@code x-portkey-trace-id},
 * {@code x-portkey-request-timeout}, the cache headers and {@code x-portkey-forward-headers}.
 */
final class PortkeyRequests {
    static final String CONFIG = "x-portkey-config";
    static final String PROVIDER = "x-portkey-provider";
    static final String VIRTUAL_KEY = "x-portkey-virtual-key";
    static final String API_KEY = "x-portkey-api-key";

    /** Provider-specific headers and the config field each one sets (Portkey's names, {@code src/globals.ts}). */
    static final Map<String, String> PROVIDER_FIELDS = Map.ofEntries(
            Map.entry("x-portkey-custom-host", "custom_host"),
            Map.entry("x-portkey-openai-organization", "openai_organization"),
            Map.entry("x-portkey-openai-project", "openai_project"),
            Map.entry("x-portkey-openai-beta", "openai_beta"),
            Map.entry("x-portkey-azure-resource-name", "resource_name"),
            Map.entry("x-portkey-azure-deployment-id", "deployment_id"),
            Map.entry("x-portkey-azure-api-version", "api_version"),
            Map.entry("x-portkey-azure-ad-token", "azure_ad_token"),
            Map.entry("x-portkey-azure-auth-mode", "azure_auth_mode"),
            Map.entry("x-portkey-aws-access-key-id", "aws_access_key_id"),
            Map.entry("x-portkey-aws-secret-access-key", "aws_secret_access_key"),
            Map.entry("x-portkey-aws-session-token", "aws_session_token"),
            Map.entry("x-portkey-aws-region", "aws_region"),
            Map.entry("x-portkey-vertex-project-id", "vertex_project_id"),
            Map.entry("x-portkey-vertex-region", "vertex_region"),
            Map.entry("x-portkey-vertex-service-account-json", "vertex_service_account_json"));

    /** Prefixes of provider-specific headers: one that is not in {@link #PROVIDER_FIELDS} is refused by name. */
    private static final List<String> PROVIDER_PREFIXES =
            List.of("x-portkey-azure-", "x-portkey-aws-", "x-portkey-vertex-", "x-portkey-openai-");

    private PortkeyRequests() {}

    /** A request the server refuses before the gateway sees it. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String type;

        Refused(int status, String type, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
        }
    }

    /**
     * Applies the headers to the builder.
     *
     * @param b           the request being built (headers already copied)
     * @param headers     the request headers, names lower-case, values joined
     * @param providerKey the provider key of a config-less request (the bearer token), or null
     * @param configs     the configs given at start-up, by id
     * @param key         the server key that authenticated the request, or null in open mode
     */
    static void apply(
            GatewayRequest.Builder b,
            Map<String, String> headers,
            @Nullable String providerKey,
            Map<String, JsonNode> configs,
            ServerKeys.@Nullable ServerKey key)
            throws Refused {
        String config = headers.get(CONFIG);
        String provider = headers.get(PROVIDER);
        String virtualKey = headers.get(VIRTUAL_KEY);
        if (config != null) {
            String trimmed = config.trim();
            if (!trimmed.startsWith("{")) {
                JsonNode saved = configs.get(trimmed);
                if (saved == null) {
                    if (!configs.isEmpty()) {
                        throw new Refused(
                                400,
                                "invalid_config",
                                "request header \"" + CONFIG + "\": found " + trimmed.length()
                                        + " characters that are neither an inline config JSON object nor the id of a"
                                        + " config this server was started with, expected one of " + configs.keySet());
                    }
                    return; // the engine answers 400 with its own message
                }
                b.configOverride(saved);
                checkVirtualKeys(saved, key);
            } else if (key != null && !key.virtualKeys().isEmpty()) {
                try {
                    checkVirtualKeys(Json.parse(trimmed), key);
                } catch (IllegalArgumentException e) {
                    return; // not JSON: the engine answers 400
                }
            }
            return;
        }
        if (provider != null) {
            ObjectNode c = Json.object();
            String p = provider.trim();
            c.put("provider", p);
            if (p.startsWith("@")) {
                checkVirtualKey(p, key);
            } else if (providerKey != null) {
                c.put("api_key", providerKey);
            }
            for (Map.Entry<String, String> h : headers.entrySet()) {
                String field = PROVIDER_FIELDS.get(h.getKey());
                if (field != null) {
                    if (field.equals("vertex_service_account_json")) {
                        try {
                            c.set(field, Json.parse(h.getValue()));
                        } catch (IllegalArgumentException e) {
                            throw new Refused(
                                    400,
                                    "invalid_request_error",
                                    "request header \"" + h.getKey() + "\": found "
                                            + h.getValue().length()
                                            + " characters that are not JSON, expected the service account key JSON");
                        }
                    } else {
                        c.put(field, h.getValue());
                    }
                } else if (PROVIDER_PREFIXES.stream().anyMatch(h.getKey()::startsWith)) {
                    throw new Refused(
                            400,
                            "invalid_request_error",
                            "request header \"" + h.getKey() + "\" is not supported by this server, expected one of "
                                    + new java.util.TreeSet<>(PROVIDER_FIELDS.keySet()));
                }
            }
            b.configOverride(c);
            return;
        }
        if (virtualKey != null) {
            String vk = virtualKey.trim();
            checkVirtualKey(vk, key);
            ObjectNode c = Json.object();
            c.put("virtual_key", vk);
            b.configOverride(c);
        }
    }

    private static void checkVirtualKey(String slug, ServerKeys.@Nullable ServerKey key) throws Refused {
        if (key != null && !key.mayUse(slug)) {
            throw new Refused(
                    403,
                    "permission_denied",
                    "API key \"" + key.name() + "\" may not use virtual key \"" + slug + "\", expected one of "
                            + new java.util.TreeSet<>(key.virtualKeys()));
        }
    }

    /** A key restricted to some virtual keys cannot reach others through an inline or saved config. */
    private static void checkVirtualKeys(JsonNode config, ServerKeys.@Nullable ServerKey key) throws Refused {
        if (key == null || key.virtualKeys().isEmpty()) {
            return;
        }
        List<String> found = new ArrayList<>();
        collect(config, found);
        for (String slug : found) {
            checkVirtualKey(slug, key);
        }
    }

    private static void collect(JsonNode n, List<String> out) {
        if (n.isObject()) {
            JsonNode vk = n.get("virtual_key");
            if (vk != null && vk.isTextual()) {
                out.add(vk.asText());
            }
            JsonNode p = n.get("provider");
            if (p != null && p.isTextual() && p.asText().startsWith("@")) {
                out.add(p.asText());
            }
            n.forEach(child -> collect(child, out));
        } else if (n.isArray()) {
            n.forEach(child -> collect(child, out));
        }
    }

    /** Hop-by-hop headers (RFC 9110 §7.6.1) and the ones the server consumes: never handed to the gateway. */
    static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "proxy-authorization",
            "proxy-authenticate",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length",
            "expect",
            API_KEY);

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
