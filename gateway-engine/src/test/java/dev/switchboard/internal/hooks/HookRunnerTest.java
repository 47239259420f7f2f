package dev.switchboard.internal.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.CheckResult;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.HookResult;
import dev.switchboard.api.HookResult.HookPhase;
import dev.switchboard.api.Json;
import dev.switchboard.internal.config.CheckSpec;
import dev.switchboard.internal.config.HookSpec;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.support.HookText;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class HookRunnerTest {
    private final Map<String, GuardrailCheck> registry = new HashMap<>();
    private final List<String> invoked = new CopyOnWriteArrayList<>();
    private final List<Runnable> asyncTasks = new ArrayList<>();
    /** Async hooks are queued here and started by the test, so "not awaited" is observable. */
    private final HookRunner runner =
            new HookRunner(id -> Optional.ofNullable(registry.get(id)), Clock.systemUTC(), asyncTasks::add);

    /** A fake check computed from its context. */
    private void register(String id, BiFunction<CheckContext, ObjectNode, CompletionStage<CheckOutcome>> body) {
        registry.put(id, new GuardrailCheck() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public CheckOutcome check(CheckContext context, ObjectNode parameters) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<CheckOutcome> checkAsync(CheckContext context, ObjectNode parameters) {
                invoked.add(id);
                return body.apply(context, parameters);
            }
        });
    }

    private void registerSync(String id, BiFunction<CheckContext, ObjectNode, CheckOutcome> body) {
        register(id, (c, p) -> CompletableFuture.completedFuture(body.apply(c, p)));
    }

    private static CheckSpec check(String id) {
        return new CheckSpec(id, Json.object(), true);
    }

    private static CheckSpec check(String id, String params) {
        return new CheckSpec(id, (ObjectNode) Json.parse(params), true);
    }

    private static HookSpec guardrail(String id, boolean deny, boolean sequential, CheckSpec... checks) {
        return new HookSpec(
                id,
                HookSpec.Type.GUARDRAIL,
                HookPhase.BEFORE_REQUEST,
                List.of(checks),
                deny,
                false,
                sequential,
                null,
                null);
    }

    private static HookSpec mutator(String id, CheckSpec... checks) {
        return new HookSpec(
                id, HookSpec.Type.MUTATOR, HookPhase.BEFORE_REQUEST, List.of(checks), false, false, false, null, null);
    }

    private static HookSpec async(HookSpec h) {
        return new HookSpec(
                h.id(), h.type(), h.phase(), h.checks(), h.deny(), true, h.sequential(), h.onFail(), h.onSuccess());
    }

    private static CheckContext context(String userText) {
        ObjectNode req = Json.object().put("model", "m");
        req.putArray("messages").addObject().put("role", "user").put("content", userText);
        return CheckContext.builder(HookEvent.BEFORE_REQUEST, Endpoint.CHAT_COMPLETIONS)
                .request(req)
                .build();
    }

    /** A check that rewrites the request text to {@code text}. */
    private static CheckOutcome rewrite(CheckContext c, String text) {
        return CheckOutcome.pass(null)
                .withTransformedRequest(HookText.withRequestText(c.endpoint(), c.request(), text));
    }

    private HookPhaseOutcome run(CheckContext ctx, HookSpec... hooks) {
        CompletableFuture<HookPhaseOutcome> f = runner.run(List.of(hooks), ctx);
        assertTrue(f.isDone(), "synchronous fake checks complete the phase at once");
        return f.join();
    }

    @Test
    void sequentialChecksSeeTheContextTransformedByThePreviousCheck() {
        registerSync("t.rewrite", (c, p) -> rewrite(c, c.requestText() + " +rewritten"));
        registerSync("t.sawRewrite", (c, p) -> CheckOutcome.of(c.requestText().endsWith("+rewritten"), null));
        HookPhaseOutcome seq =
                run(context("hi"), guardrail("g", false, true, check("t.rewrite"), check("t.sawRewrite")));
        assertTrue(seq.results().get(0).verdict());
        assertEquals(
                "hi +rewritten",
                seq.transformedRequest().at("/messages/0/content").asText());

        HookPhaseOutcome par =
                run(context("hi"), guardrail("g", false, false, check("t.rewrite"), check("t.sawRewrite")));
        assertFalse(par.results().get(0).verdict(), "parallel checks all see the original context");
        assertEquals(
                "hi +rewritten",
                par.transformedRequest().at("/messages/0/content").asText());
    }

    @Test
    void parallelChecksStartWithoutWaitingForEachOther() {
        CompletableFuture<CheckOutcome> slow = new CompletableFuture<>();
        register("t.slow", (c, p) -> slow);
        registerSync("t.fast", (c, p) -> CheckOutcome.pass(null));
        CompletableFuture<HookPhaseOutcome> f =
                runner.run(List.of(guardrail("g", false, false, check("t.slow"), check("t.fast"))), context("x"));
        assertEquals(List.of("t.slow", "t.fast"), invoked);
        assertFalse(f.isDone());
        slow.complete(CheckOutcome.pass(null));
        assertTrue(f.join().results().get(0).verdict());
    }

    @Test
    void sequentialChecksWaitForThePreviousCheck() {
        CompletableFuture<CheckOutcome> slow = new CompletableFuture<>();
        register("t.slow", (c, p) -> slow);
        registerSync("t.fast", (c, p) -> CheckOutcome.pass(null));
        CompletableFuture<HookPhaseOutcome> f =
                runner.run(List.of(guardrail("g", false, true, check("t.slow"), check("t.fast"))), context("x"));
        assertEquals(List.of("t.slow"), invoked);
        slow.complete(CheckOutcome.pass(null));
        f.join();
        assertEquals(List.of("t.slow", "t.fast"), invoked);
    }

    @Test
    void anErroringCheckFailsOpenUnlessFailOnError() {
        registerSync("t.throws", (c, p) -> {
            throw new IllegalArgumentException("parameter 'rule' is required");
        });
        register(
                "t.failedFuture",
                (c, p) -> CompletableFuture.failedFuture(new IllegalStateException("webhook returned HTTP 500")));
        HookPhaseOutcome open =
                run(context("x"), guardrail("g", true, false, check("t.throws"), check("t.failedFuture")));
        HookResult hook = open.results().get(0);
        assertTrue(hook.verdict(), "errors fail open");
        assertFalse(open.failed());
        assertFalse(open.denied());
        CheckResult thrown = hook.checks().get(0);
        assertFalse(thrown.verdict());
        assertEquals("parameter 'rule' is required", thrown.error());
        assertEquals("webhook returned HTTP 500", hook.checks().get(1).error());

        HookPhaseOutcome closed =
                run(context("x"), guardrail("g", true, false, check("t.throws", "{\"failOnError\":true}")));
        assertFalse(closed.results().get(0).verdict());
        assertTrue(closed.results().get(0).checks().get(0).failOnError());
        assertTrue(closed.denied());
    }

    @Test
    void unknownCheckIdsAndUnsupportedEventsAreErrors() {
        registry.put("t.afterOnly", new GuardrailCheck() {
            @Override
            public String id() {
                return "t.afterOnly";
            }

            @Override
            public Set<HookEvent> supportedEvents() {
                return Set.of(HookEvent.AFTER_REQUEST);
            }

            @Override
            public CheckOutcome check(CheckContext context, ObjectNode parameters) {
                invoked.add(id());
                return CheckOutcome.fail(null);
            }
        });
        HookPhaseOutcome out = run(context("x"), guardrail("g", true, false, check("t.nope"), check("t.afterOnly")));
        assertTrue(out.results().get(0).verdict());
        assertTrue(out.results().get(0).checks().get(0).error().contains("t.nope"));
        assertTrue(out.results().get(0).checks().get(1).error().contains("beforeRequestHook"));
        assertTrue(invoked.isEmpty());
    }

    @Test
    void disabledChecksAreSkippedEntirely() {
        registerSync("t.fail", (c, p) -> CheckOutcome.fail(null));
        registerSync("t.pass", (c, p) -> CheckOutcome.pass(null));
        HookSpec hook = guardrail("g", true, false, new CheckSpec("t.fail", Json.object(), false), check("t.pass"));
        HookPhaseOutcome out = run(context("x"), hook);
        assertEquals(List.of("t.pass"), invoked);
        assertEquals(1, out.results().get(0).checks().size());
        assertTrue(out.results().get(0).verdict());
    }

    @Test
    void aFailedDenyHookDeniesAndAFailedSoftHookOnlyFails() {
        registerSync("t.fail", (c, p) -> CheckOutcome.fail(Json.object().put("explanation", "no")));
        registerSync("t.pass", (c, p) -> CheckOutcome.pass(null));
        HookPhaseOutcome deny = run(
                context("x"),
                guardrail("soft", false, false, check("t.pass")),
                guardrail("hard", true, false, check("t.fail")));
        assertTrue(deny.denied());
        assertTrue(deny.failed());
        assertEquals(
                List.of("soft", "hard"),
                deny.results().stream().map(HookResult::id).toList());
        assertTrue(deny.results().get(1).deny());

        HookPhaseOutcome soft = run(context("x"), guardrail("soft", false, false, check("t.fail")));
        assertFalse(soft.denied());
        assertTrue(soft.failed());
        assertNull(soft.transformedRequest());
    }

    @Test
    void asyncHooksAreStartedButNeverAwaitedNorCounted() {
        CompletableFuture<CheckOutcome> never = new CompletableFuture<>();
        register("t.never", (c, p) -> never);
        registerSync("t.pass", (c, p) -> CheckOutcome.pass(null));
        HookSpec asyncDeny = async(guardrail("watcher", true, false, check("t.never")));
        CompletableFuture<HookPhaseOutcome> f =
                runner.run(List.of(asyncDeny, guardrail("g", false, false, check("t.pass"))), context("x"));
        assertTrue(f.isDone(), "the phase completes although the async hook never does");
        HookPhaseOutcome out = f.join();
        assertEquals(List.of("g"), out.results().stream().map(HookResult::id).toList());
        assertFalse(out.denied());
        assertEquals(1, asyncTasks.size());
        asyncTasks.get(0).run();
        assertTrue(invoked.contains("t.never"), "the async hook was started");
        assertFalse(never.isDone());
    }

    @Test
    void asyncHookFailuresAreSwallowed() {
        registerSync("t.throws", (c, p) -> {
            throw new IllegalStateException("boom");
        });
        HookPhaseOutcome out = run(context("x"), async(guardrail("watcher", true, false, check("t.throws"))));
        assertTrue(out.results().isEmpty());
        asyncTasks.forEach(Runnable::run);
        assertEquals(List.of("t.throws"), invoked);
    }

    @Test
    void mutatorsRunFirstSoGuardrailsSeeTheRewrittenBody() {
        registerSync("t.redact", (c, p) -> rewrite(c, c.requestText().replace("secret", "[X]")));
        registerSync("t.noSecret", (c, p) -> CheckOutcome.of(!c.requestText().contains("secret"), null));
        // the guardrail is declared first: order of execution is still mutators first
        HookPhaseOutcome out = run(
                context("my secret"),
                guardrail("g", true, false, check("t.noSecret")),
                mutator("m", check("t.redact")));
        assertFalse(out.denied());
        assertEquals(
                "my [X]", out.transformedRequest().at("/messages/0/content").asText());
        assertEquals(
                List.of("g", "m"),
                out.results().stream().map(HookResult::id).toList(),
                "results keep declaration order");
        HookResult m = out.results().get(1);
        assertEquals("mutator", m.type());
        assertTrue(m.transformed());
        assertTrue(m.checks().get(0).transformed());
    }

    @Test
    void mutatorHooksChainInDeclarationOrder() {
        registerSync("t.appendA", (c, p) -> rewrite(c, c.requestText() + "A"));
        registerSync("t.appendB", (c, p) -> rewrite(c, c.requestText() + "B"));
        HookPhaseOutcome out = run(
                context(">"), mutator("m1", check("t.appendA"), check("t.appendB")), mutator("m2", check("t.appendA")));
        assertEquals(">ABA", out.transformedRequest().at("/messages/0/content").asText());
    }

    @Test
    void anEmptyPhaseCompletesAtOnceWithNothingChanged() {
        HookPhaseOutcome out = run(context("x"));
        assertTrue(out.results().isEmpty());
        assertFalse(out.failed());
        assertNull(out.transformedRequest());
        assertNull(out.transformedResponse());
    }

    @Test
    void builtInPiiRedactorRunsBeforeThePiiGuardrail() {
        ServiceLoader.load(GuardrailCheck.class).forEach(c -> registry.put(c.id(), c));
        assertNotNull(registry.get("default.piiRedact"), "plugins-guardrails is on the test classpath");
        HookPhaseOutcome out = run(
                context("mail ann@example.com"),
                guardrail("no-pii", true, false, check("default.pii")),
                mutator("redact", check("default.piiRedact")));
        assertFalse(out.denied(), out.results().toString());
        assertEquals(
                "mail [REDACTED:EMAIL]",
                out.transformedRequest().at("/messages/0/content").asText());
    }
}
