package dev.switchboard.internal.hooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.CheckResult;
import dev.switchboard.api.HookResult;
import dev.switchboard.internal.config.CheckSpec;
import dev.switchboard.internal.config.HookSpec;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the hooks of one phase (before- or after-request) with Portkey's semantics (reference §5.2–5.3).
 *
 * <p>Order within a phase:
 * <ol>
 *   <li>{@code async: true} hooks are started on the async executor and never awaited; their results
 *       are only logged and they cannot change the outcome. Async mutators are skipped (a mutation
 *       nobody waits for cannot apply).</li>
 *   <li>Synchronous mutator hooks run one after another in declaration order, each seeing the body
 *       as rewritten by the previous one; their checks always run sequentially.</li>
 *   <li>Synchronous guardrail hooks then all start together on the mutated context and are awaited
 *       together; inside one, checks start together unless {@code sequential: true}, in which case each
 *       check sees the context as transformed by the previous one. When several guardrails transform
 *       the body, their rewrites apply in declaration order (the last wins).</li>
 * </ol>
 * "Together" means started without waiting for each other: a check's {@code checkAsync} is called on
 * the caller's thread, so cheap synchronous checks cost no thread hop, and network checks overlap.
 *
 * <p>Each check runs in the form the config compiler prepared ({@link CheckSpec#prepared()}), so its
 * parameters are not parsed again per request; a spec without one is looked up by id and given its
 * parameters. A check with {@code is_enabled: false} is skipped entirely. A check that throws, whose future
 * fails, whose id is unknown or that does not support the phase's event gets {@code verdict: false}
 * with an error, and counts as passed for its hook unless its parameters say {@code failOnError: true}.
 * A hook's verdict is that every check passed in this sense.
 *
 * <pre>{@code
 * HookRunner runner = new HookRunner(id -> Optional.ofNullable(registry.get(id)), clock, executor);
 * HookPhaseOutcome out = runner.run(node.beforeHooks(), context).join();
 * if (out.denied()) { ... 446 ... }
 * }</pre>
 */
public final class HookRunner {
    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);

    private final Function<String, Optional<GuardrailCheck>> checks;
    private final Clock clock;
    private final Executor asyncExecutor;

    /** {@code asyncExecutor} starts the {@code async: true} hooks, so a slow check there never holds the caller. */
    public HookRunner(Function<String, Optional<GuardrailCheck>> checks, Clock clock, Executor asyncExecutor) {
        this.checks = Objects.requireNonNull(checks, "checks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.asyncExecutor = Objects.requireNonNull(asyncExecutor, "asyncExecutor");
    }

    /** One hook's result with the bodies it rewrote (null when it rewrote none). */
    private record HookRun(HookResult result, ObjectNode request, ObjectNode response) {}

    /** One check's result and, when it ran to an outcome that counts, the bodies it rewrote. */
    private record CheckRun(CheckResult result, ObjectNode request, ObjectNode response) {}

    /** The context and the bodies rewritten so far while folding a sequence of steps. */
    private record Progress(CheckContext context, ObjectNode request, ObjectNode response) {
        Progress apply(ObjectNode req, ObjectNode res) {
            if (req == null && res == null) {
                return this;
            }
            ObjectNode r = req != null ? req : request;
            ObjectNode s = res != null ? res : response;
            return new Progress(
                    rebuild(context, req != null ? req : context.request(), res != null ? res : context.response()),
                    r,
                    s);
        }
    }

    public CompletableFuture<HookPhaseOutcome> run(List<HookSpec> hooks, CheckContext context) {
        if (hooks.isEmpty()) {
            return CompletableFuture.completedFuture(HookPhaseOutcome.empty());
        }
        List<Integer> mutators = new ArrayList<>();
        List<Integer> guardrails = new ArrayList<>();
        for (int i = 0; i < hooks.size(); i++) {
            HookSpec hook = hooks.get(i);
            if (hook.async()) {
                startAsync(hook, context);
            } else if (hook.type() == HookSpec.Type.MUTATOR) {
                mutators.add(i);
            } else {
                guardrails.add(i);
            }
        }
        // slot i holds the run of hooks.get(i); async hooks leave theirs empty. Each slot is written
        // once before the future chain moves on, and read after allOf, so no locking is needed.
        HookRun[] runs = new HookRun[hooks.size()];
        CompletableFuture<Progress> mutated = CompletableFuture.completedFuture(new Progress(context, null, null));
        for (int index : mutators) {
            mutated = mutated.thenCompose(
                    p -> runHook(hooks.get(index), p.context()).thenApply(run -> {
                        runs[index] = run;
                        return p.apply(run.request(), run.response());
                    }));
        }
        return mutated.thenCompose(afterMutators -> {
            List<CompletableFuture<HookRun>> started = new ArrayList<>();
            for (int index : guardrails) {
                started.add(runHook(hooks.get(index), afterMutators.context()));
            }
            return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .thenApply(v -> {
                        Progress p = afterMutators;
                        for (int i = 0; i < guardrails.size(); i++) {
                            HookRun run = started.get(i).join();
                            runs[guardrails.get(i)] = run;
                            p = p.apply(run.request(), run.response());
                        }
                        return outcome(hooks, runs, p);
                    });
        });
    }

    private static HookPhaseOutcome outcome(List<HookSpec> hooks, HookRun[] runs, Progress p) {
        List<HookResult> results = new ArrayList<>();
        boolean denied = false;
        boolean failed = false;
        for (int i = 0; i < runs.length; i++) {
            HookRun run = runs[i];
            if (run == null) {
                continue; // async hook
            }
            results.add(run.result());
            if (!run.result().verdict()) {
                failed = true;
                denied |= hooks.get(i).deny();
            }
        }
        return new HookPhaseOutcome(results, denied, failed, p.request(), p.response());
    }

    private void startAsync(HookSpec hook, CheckContext context) {
        if (hook.type() == HookSpec.Type.MUTATOR) {
            LOG.debug("skipping async mutator hook {}: nobody waits for its rewrite", hook.id());
            return;
        }
        try {
            asyncExecutor.execute(() -> {
                try {
                    runHook(hook, context).whenComplete((run, error) -> logAsync(hook, run, error));
                } catch (RuntimeException e) {
                    logAsync(hook, null, e);
                }
            });
        } catch (RuntimeException e) {
            LOG.info("async hook {} could not be started: {}", hook.id(), e.toString());
        }
    }

    private void logAsync(HookSpec hook, HookRun run, Throwable error) {
        if (error != null) {
            LOG.info("async hook {} errored: {}", hook.id(), describe(error));
        } else if (!run.result().verdict()) {
            LOG.info("async hook {} failed at {}: {}", hook.id(), clock.instant(), failedIds(run.result()));
        } else {
            LOG.debug("async hook {} passed in {} ms", hook.id(), run.result().executionTimeMs());
        }
    }

    private static String failedIds(HookResult r) {
        List<String> ids = new ArrayList<>();
        r.checks().forEach(c -> {
            if (!c.verdict()) {
                ids.add(c.id() + (c.error() != null ? " (error)" : ""));
            }
        });
        return String.join(", ", ids);
    }

    private CompletableFuture<HookRun> runHook(HookSpec hook, CheckContext context) {
        long start = System.nanoTime();
        List<CheckSpec> enabled =
                hook.checks().stream().filter(CheckSpec::enabled).toList();
        boolean sequential = hook.type() == HookSpec.Type.MUTATOR || hook.sequential();
        CompletableFuture<List<CheckRun>> runs;
        Progress initial = new Progress(context, null, null);
        CompletableFuture<Progress> folded;
        if (sequential) {
            List<CheckRun> done = new ArrayList<>();
            CompletableFuture<Progress> chain = CompletableFuture.completedFuture(initial);
            for (CheckSpec spec : enabled) {
                chain = chain.thenCompose(p -> runCheck(spec, p.context()).thenApply(run -> {
                    done.add(run);
                    return p.apply(run.request(), run.response());
                }));
            }
            folded = chain;
            runs = chain.thenApply(p -> done);
        } else {
            List<CompletableFuture<CheckRun>> started =
                    enabled.stream().map(spec -> runCheck(spec, context)).toList();
            runs = CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .thenApply(
                            v -> started.stream().map(CompletableFuture::join).toList());
            folded = runs.thenApply(list -> {
                Progress p = initial;
                for (CheckRun run : list) {
                    p = p.apply(run.request(), run.response());
                }
                return p;
            });
        }
        return folded.thenCombine(runs, (p, list) -> {
            List<CheckResult> results = list.stream().map(CheckRun::result).toList();
            boolean verdict = results.stream().allMatch(HookRunner::passes);
            boolean transformed = results.stream().anyMatch(CheckResult::transformed);
            long ms = (System.nanoTime() - start) / 1_000_000;
            HookResult result = new HookResult(
                    hook.id(),
                    hook.type().name().toLowerCase(Locale.ROOT),
                    hook.phase(),
                    verdict,
                    hook.deny(),
                    hook.async(),
                    transformed,
                    false,
                    results,
                    ms);
            return new HookRun(result, p.request(), p.response());
        });
    }

    /** Errors fail open unless the check asked for {@code failOnError}. */
    static boolean passes(CheckResult r) {
        return r.verdict() || (r.error() != null && !r.failOnError());
    }

    private CompletableFuture<CheckRun> runCheck(CheckSpec spec, CheckContext context) {
        long start = System.nanoTime();
        ObjectNode params = spec.parameters();
        boolean failOnError = params != null && params.path("failOnError").asBoolean(false);
        CompletionStage<CheckOutcome> stage;
        try {
            if (spec.prepared() != null) {
                // the config compiler checked the id and the phase, and prepared the parameters once
                stage = spec.prepared().checkAsync(context);
            } else {
                Optional<GuardrailCheck> found = checks.apply(spec.id());
                if (found.isEmpty()) {
                    return CompletableFuture.completedFuture(
                            errored(spec, "unknown check id '" + spec.id() + "'", start, failOnError));
                }
                GuardrailCheck check = found.get();
                if (!check.supportedEvents().contains(context.event())) {
                    return CompletableFuture.completedFuture(errored(
                            spec,
                            "check '" + spec.id() + "' does not support "
                                    + context.event().portkeyName(),
                            start,
                            failOnError));
                }
                stage = check.checkAsync(context, params);
            }
        } catch (RuntimeException | Error e) {
            return CompletableFuture.completedFuture(errored(spec, describe(e), start, failOnError));
        }
        if (stage == null) {
            return CompletableFuture.completedFuture(errored(spec, "check returned no outcome", start, failOnError));
        }
        CompletableFuture<CheckRun> result = new CompletableFuture<>();
        stage.whenComplete((outcome, error) -> {
            if (error != null) {
                result.complete(errored(spec, describe(error), start, failOnError));
            } else if (outcome == null) {
                result.complete(errored(spec, "check returned no outcome", start, failOnError));
            } else {
                long ms = (System.nanoTime() - start) / 1_000_000;
                CheckResult r = new CheckResult(
                        spec.id(), outcome.verdict(), outcome.data(), null, ms, outcome.transformed(), failOnError);
                result.complete(new CheckRun(r, outcome.transformedRequest(), outcome.transformedResponse()));
            }
        });
        return result;
    }

    private static CheckRun errored(CheckSpec spec, String message, long start, boolean failOnError) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new CheckRun(new CheckResult(spec.id(), false, null, message, ms, false, failOnError), null, null);
    }

    private static String describe(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A copy of the context with other bodies; everything else carries over. */
    private static CheckContext rebuild(CheckContext c, ObjectNode request, ObjectNode response) {
        return CheckContext.builder(c.event(), c.endpoint())
                .request(request)
                .response(response, c.responseStatus())
                .provider(c.provider())
                .metadata(c.metadata())
                .requestHeaders(c.requestHeaders())
                .streaming(c.isStreaming())
                .transport(c.transport())
                .clock(c.clock())
                .build();
    }
}
