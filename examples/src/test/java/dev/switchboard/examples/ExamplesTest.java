package dev.switchboard.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs every example's {@code main} as a newcomer would (against the local stubs it starts itself) and
 * checks that it shows what the README says it shows.
 */
class ExamplesTest {
    interface Main {
        void run(String[] args) throws Exception;
    }

    static String run(Main main, String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run(args);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void promptTemplatesRenderVersionsStreamAndCapCosts() throws Exception {
        String out = run(PromptTemplates::main);
        assertTrue(out.contains("You answer for Acme. The customer is a VIP."), out);
        assertTrue(out.contains("Order 7 (shipped).\\nWhere is my parcel?"), out); // JSON-escaped line break
        assertTrue(out.contains("=> 200 (prompt support-reply@2): It left the warehouse today."), out);
        assertTrue(out.contains("=> 200 (prompt support-reply@1): Tomorrow."), out);
        assertTrue(out.contains("On its way. [DONE]  (prompt support-reply@2)"), out);
        assertTrue(out.contains("=> 400 (prompt support-reply@2): prompt \"support-reply@2\": variable"), out);
        assertTrue(out.contains("config.targets[0] gpt-4o -> 412 cost_cap_exceeded"), out);
        assertTrue(out.contains("config.targets[1] gpt-4o-mini -> 200"), out);
        assertTrue(out.contains("a b c d e  [error: cost_cap_exceeded] [DONE]"), out);
    }

    @Test
    void withOpenAiSdkFallsBackStreamsAndThrowsTheSdksExceptions() throws Exception {
        String out = run(WithOpenAiSdk::main);
        assertTrue(out.contains("1. create: Hello from the fallback (calls: first target 1, second 1)"), out);
        assertTrue(out.contains("2. createStreaming, accumulated by the SDK: Streamed through the gateway"), out);
        assertTrue(out.contains("3. a 429 from the last target is the SDK's RateLimitException: "), out);
        assertTrue(out.contains("slow down"), out);
    }

    @Test
    void withLangChain4jFallsBackStreamsEmbedsAndThrowsLangChain4jsExceptions() throws Exception {
        String out = run(WithLangChain4j::main);
        assertTrue(out.contains("1. chat: Hello from the fallback (calls: first target 1, second 1)"), out);
        assertTrue(
                out.contains("2. streaming: parts [Streamed][ through][ the][ gateway],"
                        + " complete: Streamed through the gateway"),
                out);
        assertTrue(out.contains("3. embedAll: 2 vectors of 8"), out);
        assertTrue(out.contains("4. a 429 from the last target is LangChain4j's RateLimitException: "), out);
        assertTrue(out.contains("slow down"), out);
    }

    @Test
    void withSpringAiAnswersThroughTheGatewaysFallbackAndClosesItWithTheContext() throws Exception {
        String out = run(WithSpringAi::main);
        assertTrue(
                out.contains("1. ChatClient call: Hello from Spring AI through the gateway (calls: first target 1,"
                        + " second 1)"),
                out);
        assertTrue(out.contains("2. ChatClient stream: Streamed by Spring AI (4 pieces)"), out);
        assertTrue(out.contains("3. the provider saw the config's key, not a placeholder: true"), out);
        assertTrue(out.contains("4. after the context closed: gateway is closed"), out);
    }

    @Test
    void realtimeVoiceFallsBackPricesEachResponseAndEndsOnTheBudget() throws Exception {
        String out = run(RealtimeVoice::main);
        assertTrue(out.contains("1. session open on config.targets[1]"), out);
        assertTrue(out.contains("<- error budget_exceeded: virtual key @voice: budget of $0.20"), out);
        assertTrue(out.contains("closed 4412"), out);
        assertTrue(out.contains("config.targets[0] 500 http_500"), out);
        assertTrue(out.contains("tokens 200+1000 (audio out 1000) cost $0.0648"), out);
        assertTrue(out.contains("3. total cost $0.1944"), out);
    }

    @Test
    void responsesOnAnthropicAnswersStreamsAndContinuesTheConversation() throws Exception {
        String out = run(ResponsesOnAnthropic::main);
        assertTrue(out.contains("1. resp_") && out.contains("completed: Paris. (input "), out);
        assertTrue(out.contains("sent to /v1/messages)"), out);
        assertTrue(out.contains("2. streamed: Berlin. (ended with response.completed; Anthropic got 3 messages"), out);
    }

    @Test
    void openAiSurfaceTranscribesGeneratesAnImageAndRunsABatch() throws Exception {
        String out = run(OpenAiSurface::main);
        assertTrue(out.contains("1. transcription: \"Welcome to the lighthouse tour.\""), out);
        assertTrue(out.contains("cost $0.0042"), out); // whisper-1: 42 s at $0.0001 per second
        assertTrue(out.contains("2. image: https://images.example/lighthouse.png"), out);
        assertTrue(out.contains("cost $0.079996"), out); // hd/1024-x-1024/dall-e-3
        assertTrue(
                out.contains("3. batch: uploaded file-in1, created batch_1 (validating), retrieved (completed),"
                        + " results file-out1: 1 line(s), first custom_id r1"),
                out);
        assertTrue(
                out.contains(
                        "[POST /v1/files, POST /v1/batches, GET /v1/batches/batch_1, GET /v1/files/file-out1/content]"),
                out);
    }

    @Test
    void hedgeAndLearnShowsAHedgeWinningAndTheLearnedWeights() throws Exception {
        String out = run(HedgeAndLearn::main);
        assertTrue(out.contains("hedge: won (config.targets[1] answered first)"), out);
        assertTrue(out.contains("hedge: lost to config.targets[1], cancelled"), out);
        assertTrue(
                out.contains("sent after 200 ms without an answer from config.targets[0] (hedge.after_ms 200)"), out);
        assertTrue(out.contains("=> 200 from config.targets[1]: Hello from the fast stub"), out);
        Matcher slow = Pattern.compile("30 requests: (\\d+) to the slow target").matcher(out);
        assertTrue(slow.find(), out);
        assertTrue(Integer.parseInt(slow.group(1)) < 12, "traffic moved to the fast target: " + out);
        assertTrue(out.contains("learned weights:"), out);
        assertTrue(out.contains("config.targets[0]: effective weight 0."), out);
        assertTrue(out.contains("config.targets[1]: effective weight 1.000"), out);
    }

    @Test
    void quickstartShowsAFallbackAndATimeoutBothEndingIn200() throws Exception {
        String out = run(Quickstart::main, "--stub");
        assertTrue(out.contains("using the testkit's local stub upstream"), out);
        assertTrue(out.contains("http_503: openai error: the stub is down on purpose"), out);
        assertTrue(out.contains("timeout: no answer within"), out);
        Matcher answers = Pattern.compile("(?m)^=> 200 from (config\\.targets\\[\\d]\\.targets\\[\\d])")
                .matcher(out);
        List<String> from = answers.results().map(m -> m.group(1)).toList();
        assertEquals(List.of("config.targets[0].targets[1]", "config.targets[1].targets[1]"), from, out);
        assertTrue(out.contains("[match]    {\"metadata.user_plan\":{\"$eq\":\"paid\"}} -> paid"), out);
    }

    @Test
    void crossProviderFallbackEndsOnBedrockForTheStreamedToolCall() throws Exception {
        String out = run(CrossProviderFallback::main);
        assertTrue(out.contains("=> 200 from bedrock"), out);
        assertTrue(
                out.contains(
                        "tool call get_weather{\"city\":\"Paris\",\"unit\":\"celsius\"}, finish_reason tool_calls"),
                out);
    }

    @Test
    void customGuardrailDeniesRedactsAndFlags() throws Exception {
        String out = run(CustomGuardrail::main);
        assertTrue(out.contains("1. custom check denies:  446 hooks_failed, provider calls so far: 0"), out);
        assertTrue(out.contains("the provider saw: Write to [REDACTED:EMAIL] or [REDACTED:PHONE]."), out);
        assertTrue(out.contains("(no deny): 246"), out);
        assertTrue(out.contains("3. everything passes: 200"), out);
    }

    @Test
    void costReportRefusesOverBudgetRequestsAndReportsByKeyModelAndTeam() throws Exception {
        String out = run(CostReport::main);
        assertTrue(out.contains("budget of $0.004 per day exhausted"), out);
        assertTrue(out.contains("-> served by config.targets[1]"), out);
        for (String section : List.of("Cost by virtual key:", "Cost by model:", "Cost by team:")) {
            assertTrue(out.contains(section), section + " missing:\n" + out);
        }
        assertTrue(out.contains("openai/gpt-4o-mini"), out);
    }

    @Test
    void cachedAnswersHitsTheCacheForTheSameAndTheRewordedRequest() throws Exception {
        String out = run(CachedAnswers::main);
        assertTrue(
                Pattern.compile("(?m)^same request again\\s+HIT\\s+cost \\$0 ")
                        .matcher(out)
                        .find(),
                out);
        assertTrue(out.contains("streamed request served from the cache: HIT"), out);
        assertTrue(
                Pattern.compile("(?m)^semantic: reworded\\s+SEMANTIC HIT")
                        .matcher(out)
                        .find(),
                out);
        assertTrue(out.contains("provider calls: 2"), out);
    }
}
