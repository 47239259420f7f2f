package dev.switchboard.providers.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.UpstreamJson;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mints OAuth2 access tokens for a service account (the JWT-bearer grant, RFC 7523) and caches them
 * per {@code client_email} + {@code token_uri} until shortly before they expire. Concurrent callers
 * share one in-flight mint. Thread-safe; the clock decides expiry, so tests never wait.
 *
 * <pre>{@code
 * CompletableFuture<String> token = tokens.token(key, call.transport(), call.clock());
 * }</pre>
 */
final class ServiceAccountTokens {
    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** A token is replaced this long before its expiry, so it never expires in flight. */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

    private static final long JWT_LIFETIME_SECONDS = 3600;

    private final ConcurrentHashMap<String, CompletableFuture<AccessToken>> cache = new ConcurrentHashMap<>();

    /** A minted token; {@link #toString()} hides it. */
    record AccessToken(String value, Instant expiresAt) {
        boolean usableAt(Instant now) {
            return now.isBefore(expiresAt.minus(REFRESH_MARGIN));
        }

        @Override
        public String toString() {
            return "AccessToken{expiresAt=" + expiresAt + "}";
        }
    }

    /** A cached token still usable now, or null. */
    String cached(ServiceAccountKey key, Clock clock) {
        CompletableFuture<AccessToken> f = cache.get(cacheKey(key));
        if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
            return null;
        }
        AccessToken t = f.join();
        return t.usableAt(clock.instant()) ? t.value() : null;
    }

    /** The access token: the cached one while usable, else a freshly minted one. */
    CompletableFuture<String> token(ServiceAccountKey key, Transport transport, Clock clock) {
        String cacheKey = cacheKey(key);
        while (true) {
            CompletableFuture<AccessToken> existing = cache.get(cacheKey);
            if (existing != null
                    && !existing.isCompletedExceptionally()
                    && (!existing.isDone() || existing.join().usableAt(clock.instant()))) {
                return existing.thenApply(AccessToken::value);
            }
            CompletableFuture<AccessToken> mine = new CompletableFuture<>();
            boolean installed = existing == null
                    ? cache.putIfAbsent(cacheKey, mine) == null
                    : cache.replace(cacheKey, existing, mine);
            if (!installed) {
                continue;
            }
            mint(key, transport, clock).whenComplete((t, e) -> {
                if (e != null) {
                    cache.remove(cacheKey, mine);
                    mine.completeExceptionally(e);
                } else {
                    mine.complete(t);
                }
            });
            return mine.thenApply(AccessToken::value);
        }
    }

    private static String cacheKey(ServiceAccountKey key) {
        return key.clientEmail() + "|" + key.tokenUri();
    }

    private CompletableFuture<AccessToken> mint(ServiceAccountKey key, Transport transport, Clock clock) {
        if (transport == null) {
            return CompletableFuture.failedFuture(new ProviderException(
                    500, "api_error", "vertex-ai: no transport to fetch a service-account access token"));
        }
        Instant now = clock.instant();
        String form;
        URI tokenUri;
        try {
            form = "grant_type=" + URLEncoder.encode(GRANT_TYPE, StandardCharsets.UTF_8) + "&assertion="
                    + URLEncoder.encode(assertion(key, now), StandardCharsets.UTF_8);
            tokenUri = URI.create(key.tokenUri());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new ProviderException(
                    401,
                    "authentication_error",
                    "vertex-ai: cannot sign a token request for " + key.clientEmail() + ": " + e.getMessage()));
        }
        UpstreamRequest request = UpstreamRequest.post(
                tokenUri,
                Map.of("content-type", "application/x-www-form-urlencoded", "accept", "application/json"),
                form.getBytes(StandardCharsets.UTF_8));
        CompletableFuture<UpstreamResponse> sent;
        try {
            sent = transport.send(request);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.thenCompose(r -> r.readAll().thenApply(body -> accessToken(key, r.status(), body, now)))
                .exceptionallyCompose(e -> {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause()
                            : e;
                    if (cause instanceof ProviderException) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    return CompletableFuture.failedFuture(new ProviderException(
                            503,
                            "api_error",
                            "vertex-ai: token endpoint " + key.tokenUri() + " unreachable: "
                                    + cause.getClass().getSimpleName(),
                            cause));
                });
    }

    private static AccessToken accessToken(ServiceAccountKey key, int status, byte[] body, Instant now) {
        JsonNode json = UpstreamJson.parse(body);
        if (status < 200 || status >= 300) {
            String why = json == null
                    ? "HTTP " + status
                    : json.path("error_description").asText(json.path("error").asText("HTTP " + status));
            // 4xx: the key is wrong or revoked, retrying will not help; 5xx: the token service is down.
            throw status >= 500
                    ? new ProviderException(
                            503, "api_error", "vertex-ai: token endpoint failed (" + status + "): " + why)
                    : new ProviderException(
                            401,
                            "authentication_error",
                            "vertex-ai: token request for " + key.clientEmail() + " refused (" + status + "): " + why);
        }
        String token = json == null ? "" : json.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new ProviderException(503, "api_error", "vertex-ai: token endpoint answered without access_token");
        }
        long expiresIn = json.path("expires_in").asLong(JWT_LIFETIME_SECONDS);
        return new AccessToken(token, now.plusSeconds(expiresIn));
    }

    /** The signed RS256 JWT assertion for the token request. */
    static String assertion(ServiceAccountKey key, Instant now) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        ObjectNode header = Json.object().put("alg", "RS256").put("typ", "JWT");
        if (key.privateKeyId() != null) {
            header.put("kid", key.privateKeyId());
        }
        long iat = now.getEpochSecond();
        ObjectNode claims = Json.object()
                .put("iss", key.clientEmail())
                .put("scope", SCOPE)
                .put("aud", key.tokenUri())
                .put("iat", iat)
                .put("exp", iat + JWT_LIFETIME_SECONDS);
        String signingInput = b64.encodeToString(Json.bytes(header)) + "." + b64.encodeToString(Json.bytes(claims));
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key.privateKey());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "RS256 signing failed: " + e.getClass().getSimpleName());
        }
    }
}
