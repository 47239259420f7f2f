package dev.switchboard.internal.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import dev.switchboard.api.KeyLimits;
import dev.switchboard.api.ProviderCredentials;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Issue 16, finding 2: admission bounds the prompt by its UTF-8 bytes instead of tokenising it —
 * never below the real BPE count — and computes that bound once per request, however many attempts.
 */
class AdmissionBoundTest {
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    /** Text of every kind: ASCII, Latin, CJK, emoji (surrogate pairs), digits, white space runs; no lone surrogate. */
    private static Gen<String> texts() {
        Gen<String> ascii = strings().ascii().ofLengthBetween(0, 300);
        Gen<String> anyPlane = strings().betweenCodePoints(0x20, 0x10FFFF).ofLengthBetween(0, 120);
        Gen<String> bmp = strings().basicMultilingualPlaneAlphabet().ofLengthBetween(0, 200);
        Gen<String> text = ascii.mix(anyPlane, 40).mix(bmp, 30);
        return text.map(AdmissionBoundTest::withoutLoneSurrogates);
    }

    private static String withoutLoneSurrogates(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (!Character.isSurrogate(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Test
    void theUtf8BoundIsNeverBelowTheBpeCountOfAText() {
        for (EncodingType type : List.of(EncodingType.O200K_BASE, EncodingType.CL100K_BASE)) {
            Encoding enc = REGISTRY.getEncoding(type);
            qt().withExamples(2000).forAll(texts()).checkAssert(text -> {
                long tokens = enc.countTokensOrdinary(text);
                long bound = TokenEstimator.utf8Length(text);
                assertTrue(bound >= tokens, type + ": " + tokens + " tokens > " + bound + " bytes for " + text);
            });
        }
    }

    @Test
    void thePromptBoundIsNeverBelowTheExactCountOfAChat() {
        qt().withExamples(500)
                .forAll(lists().of(texts()).ofSizeBetween(1, 6), integers().between(0, 2))
                .checkAssert((contents, modelIndex) -> {
                    String model = List.of("gpt-4o", "gpt-4", "gpt-5").get(modelIndex);
                    ObjectNode body = Json.object().put("model", model);
                    ArrayNode messages = body.putArray("messages");
                    for (int i = 0; i < contents.size(); i++) {
                        ObjectNode m = messages.addObject()
                                .put("role", i % 2 == 0 ? "user" : "assistant")
                                .put("content", contents.get(i));
                        if (i == 0) {
                            m.put("name", "n" + contents.size());
                        }
                    }
                    TokenEstimator.Estimate exact = TokenEstimator.estimate("openai", model, body);
                    long bound = TokenEstimator.promptBound(body);
                    assertTrue(
                            bound >= exact.promptTokens(), model + ": bound " + bound + " < " + exact + " for " + body);
                });
    }

    @Test
    void theBoundIsComputedOncePerRequestAcrossRetriesAndAFallback() {
        try (StubUpstream a = StubUpstream.start();
                StubUpstream b = StubUpstream.start()) {
            a.enqueue(StubResponse.error(503, "overloaded"));
            a.enqueue(StubResponse.error(503, "overloaded"));
            a.enqueue(StubResponse.error(503, "overloaded"));
            KeyLimits limits = KeyLimits.builder()
                    .tokensPerMinute(1_000_000)
                    .budgetUsdPerDay("100")
                    .build();
            Gateway g = Gateway.builder()
                    .config("{\"strategy\":{\"mode\":\"fallback\"},\"targets\":["
                            + "{\"provider\":\"@first\",\"retry\":{\"attempts\":2,\"on_status_codes\":[503]}},"
                            + "{\"provider\":\"@second\"}]}")
                    .provider("@first", key(a, limits))
                    .provider("@second", key(b, limits))
                    .sleeper(d -> java.util.concurrent.CompletableFuture.completedFuture(null))
                    .build();
            long before = TokenEstimator.PROMPT_BOUNDS.sum();
            GatewayResponse r = g.execute(GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}")
                    .build());
            long computed = TokenEstimator.PROMPT_BOUNDS.sum() - before;
            assertEquals(200, r.status());
            assertEquals(
                    3,
                    a.hits(),
                    "the first target is tried 3 times: " + r.trace().attempts());
            assertEquals(1, b.hits());
            assertEquals(4, r.trace().attempts().size());
            assertEquals(1, computed, "prompt bounds computed for one request of 4 attempts");
        }
    }

    private static ProviderCredentials key(StubUpstream s, KeyLimits limits) {
        return ProviderCredentials.builder("openai")
                .secret("sk-test-admission")
                .baseUrl(s.openAiBaseUrl())
                .limits(limits)
                .build();
    }
}
