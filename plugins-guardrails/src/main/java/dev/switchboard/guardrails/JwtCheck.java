package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.guardrails.jwt.DurationText;
import dev.switchboard.guardrails.jwt.JsonWebKey;
import dev.switchboard.guardrails.jwt.JsonWebToken;
import dev.switchboard.guardrails.jwt.JwksCache;
import dev.switchboard.guardrails.jwt.JwsSignature;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code default.jwt} (before-request): verifies the JWT in request header {@code headerKey}
 * ({@code Authorization}, "Bearer " stripped) against the keys at {@code jwksUri}. RS256 and ES256
 * are accepted; {@code exp}, {@code nbf} and {@code iat} are checked with {@code clockTolerance}
 * seconds (5) of slack, and the token may be at most {@code maxTokenAge} old ("1d"; needs
 * {@code iat}). The JWKS is fetched through the gateway transport and cached {@code cacheMaxAge}
 * seconds (86400) on the context clock. As in Portkey, the token's {@code kid} picks the key (a token
 * without one fails); a missing, expired or badly signed token fails the check; a token whose header
 * cannot be read and an unreachable JWKS are errors (the hook's {@code failOnError} decides whether
 * that blocks). The header is found whatever its case (Portkey looks {@code headerKey} up exactly
 * among lower-cased header names, so its default {@code Authorization} never matches).
 *
 * <pre>{@code {"id": "default.jwt", "parameters": {"jwksUri": "https://auth.example/.well-known/jwks.json", "maxTokenAge": "2h"}}}</pre>
 */
public final class JwtCheck implements GuardrailCheck {
    private final JwksCache jwks = new JwksCache();

    /** The parsed parameters of one evaluation. */
    private record Settings(
            URI jwksUri,
            String headerKey,
            Duration cacheMaxAge,
            long toleranceSeconds,
            Duration maxTokenAge,
            long timeoutMs) {
        static Settings read(String checkId, ObjectNode parameters) {
            ParameterReader p = new ParameterReader(
                    checkId,
                    parameters,
                    "jwksUri",
                    "headerKey",
                    "cacheMaxAge",
                    "clockTolerance",
                    "maxTokenAge",
                    "timeout");
            URI uri = p.httpUrl("jwksUri");
            String header = p.string("headerKey", "Authorization");
            long maxAge = p.nonNegative("cacheMaxAge", 86_400);
            long tolerance = p.nonNegative("clockTolerance", 5);
            Duration tokenAge = p.has("maxTokenAge") && p.get("maxTokenAge").isNumber()
                    ? Duration.ofSeconds(p.nonNegative("maxTokenAge", 0))
                    : parseAge(p, p.string("maxTokenAge", "1d"));
            long timeout = HttpCalls.timeoutMs(p);
            p.throwIfInvalid();
            return new Settings(uri, header, Duration.ofSeconds(maxAge), tolerance, tokenAge, timeout);
        }

        private static Duration parseAge(ParameterReader p, String text) {
            try {
                return DurationText.parse(text);
            } catch (IllegalArgumentException e) {
                p.problem(
                        "maxTokenAge",
                        ParameterReader.found(p.get("maxTokenAge")),
                        "a number of seconds or a duration (30s, 30m, 2h, 1d, 1w)");
                return null;
            }
        }
    }

    @Override
    public String id() {
        return "default.jwt";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.BEFORE_REQUEST);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) throws Exception {
        return HttpCalls.await(checkAsync(context, parameters));
    }

    /** Reads and checks the URL, header, durations and timeout once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        Settings settings = Settings.read(id(), parameters);
        return PreparedCheck.async(context -> evaluate(context, settings));
    }

    @Override
    public CompletionStage<CheckOutcome> checkAsync(CheckContext context, ObjectNode parameters) {
        Settings settings;
        try {
            settings = Settings.read(id(), parameters);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return evaluate(context, settings);
    }

    private CompletionStage<CheckOutcome> evaluate(CheckContext context, Settings settings) {
        String raw = context.requestHeaders().get(settings.headerKey().toLowerCase(Locale.ROOT));
        if (raw == null || raw.isBlank()) {
            return done(fail("No token in header '" + settings.headerKey() + "'.", null));
        }
        String compact = raw.strip();
        if (compact.regionMatches(true, 0, "Bearer ", 0, 7)) {
            compact = compact.substring(7).strip();
        }
        JsonWebToken token;
        try {
            token = JsonWebToken.parse(compact);
        } catch (IllegalArgumentException e) {
            // Portkey cannot read the token's header either: an error, which fails open
            return CompletableFuture.failedFuture(
                    new IllegalStateException("JWT validation error: the token is malformed"));
        }
        String alg = token.alg();
        if (!alg.equals("RS256") && !alg.equals("ES256")) {
            return done(fail("Token algorithm '" + alg + "' is not accepted (RS256, ES256).", token));
        }
        return jwks.keys(
                        settings.jwksUri(),
                        context.transport(),
                        context.clock(),
                        settings.cacheMaxAge(),
                        settings.timeoutMs())
                .thenApply(keys -> verify(token, keys, context, settings));
    }

    private static CheckOutcome verify(JsonWebToken token, List<JsonWebKey> keys, CheckContext context, Settings s) {
        String kid = token.kid();
        if (kid == null) {
            // Portkey looks keys up by kid only: a token without one matches no key
            return fail("No matching key found for kid (the token has no kid).", token);
        }
        List<JsonWebKey> candidates = keys.stream()
                .filter(k -> k.fits(token.alg()) && (kid == null || kid.equals(k.kid())))
                .toList();
        if (candidates.isEmpty()) {
            return fail("No key in the JWKS matches the token" + (kid == null ? "." : " (kid '" + kid + "')."), token);
        }
        byte[] input = token.signingInput();
        byte[] sig = token.signature();
        if (candidates.stream().noneMatch(k -> JwsSignature.verify(token.alg(), k.key(), input, sig))) {
            return fail("The token signature is invalid.", token);
        }
        long now = context.clock().instant().getEpochSecond();
        long tol = s.toleranceSeconds();
        Long exp;
        Long nbf;
        Long iat;
        try {
            exp = token.numericDate("exp");
            nbf = token.numericDate("nbf");
            iat = token.numericDate("iat");
        } catch (IllegalArgumentException e) {
            return fail("The token has an invalid date claim: " + e.getMessage(), token);
        }
        if (exp != null && now > exp + tol) {
            return fail("The token has expired.", token);
        }
        if (nbf != null && now + tol < nbf) {
            return fail("The token is not valid yet (nbf).", token);
        }
        if (iat != null && now + tol < iat) {
            return fail("The token was issued in the future (iat).", token);
        }
        if (s.maxTokenAge() != null) {
            if (iat == null) {
                return fail("The token has no 'iat' claim, so its age cannot be checked (maxTokenAge).", token);
            }
            if (now - iat > s.maxTokenAge().getSeconds() + tol) {
                return fail("The token is older than maxTokenAge.", token);
            }
        }
        ObjectNode data = details("The token is valid.", token);
        return CheckOutcome.pass(data);
    }

    private static CheckOutcome fail(String explanation, JsonWebToken token) {
        return CheckOutcome.fail(details(explanation, token));
    }

    /** Explanation plus alg/kid; never the token or its claims (they can identify the user). */
    private static ObjectNode details(String explanation, JsonWebToken token) {
        ObjectNode data = Explanations.of(explanation);
        if (token != null) {
            data.put("alg", token.alg());
            data.put("kid", token.kid());
        }
        return data;
    }

    private static CompletableFuture<CheckOutcome> done(CheckOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
