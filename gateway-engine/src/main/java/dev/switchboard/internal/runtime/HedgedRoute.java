package dev.switchboard.internal.runtime;

import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.internal.config.ConfigNode;
import dev.switchboard.internal.config.StrategyNode;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import dev.switchboard.spi.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * A node with {@code strategy.hedge}: the request goes to a target; when it has not answered (a
 * stream: sent its first event) within the hedge delay, the same request goes to the next target
 * too, and the first answer that would end the strategy wins — the other side is cancelled through
 * its own {@link Cancellation} (recorded as {@code cancelled}, priced at the estimated input when
 * the provider had the request, its virtual key's reservation settled the same way). Each side runs
 * through the whole leaf pipeline, so each is admitted (and reserves) on its own.
 *
 * <p>On a fallback, a side that fails before the delay moves on as a fallback does (the next target
 * is then tried, hedged in turn); once both run, a failure waits for the other side, and when both
 * fail the later side's answer is the node's. On a loadbalance node the second side is drawn among
 * the other targets; a failure before the delay is the answer, as without a hedge.
 *
 * <p>The wait is the gateway's {@link Sleeper} (a timer by default; a test drives it by hand). The
 * trace notes on each attempt which side it was, why the hedge fired, and which side won. Never
 * for endpoints whose repetition has effects ({@link #notIdempotent}).
 */
final class HedgedRoute {
    private final Sleeper sleeper;
    private final Scheduler scheduler;
    private final RouteEvaluator router;
    private final BiFunction<ConfigNode, RequestContext, CompletableFuture<LeafResult>> route;

    HedgedRoute(
            Sleeper sleeper,
            Scheduler scheduler,
            RouteEvaluator router,
            BiFunction<ConfigNode, RequestContext, CompletableFuture<LeafResult>> route) {
        this.sleeper = sleeper;
        this.scheduler = scheduler;
        this.router = router;
        this.route = route;
    }

    /**
     * Why a request must never be hedged — sending it twice would do something twice — or null when
     * it may be: uploads, batches, fine-tuning jobs, realtime sessions and passed-through calls
     * other than GET, HEAD and OPTIONS.
     */
    static String notIdempotent(GatewayRequest request) {
        Endpoint e = request.endpoint();
        String what =
                switch (e) {
                    case FILES -> "a second send would upload a second file";
                    case BATCHES -> "a second send would start a second batch";
                    case FINE_TUNING_JOBS -> "a second send would start a second fine-tuning job";
                    case REALTIME -> "a realtime session is stateful";
                    case PROXY -> {
                        String m = request.method().toUpperCase(Locale.ROOT);
                        yield m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")
                                ? null
                                : "a passed-through " + m + " may change state upstream";
                    }
                    default -> null;
                };
        return what == null
                ? null
                : request.method() + " " + request.path() + " is not idempotent (" + what + "): it is never hedged";
    }

    /** The fallback {@code order} of {@code s} from {@code i}, hedged. */
    CompletableFuture<LeafResult> fallback(StrategyNode s, List<ConfigNode> order, int i, RequestContext rc) {
        if (i + 1 >= order.size()) {
            return route.apply(order.get(i), rc);
        }
        return race(s, order.get(i), rc, true, next -> fallback(s, order, i + 1, next), order.get(i + 1));
    }

    /** A loadbalance node's drawn {@code first} target, hedged with a second drawn among the others. */
    CompletableFuture<LeafResult> loadbalance(StrategyNode s, ConfigNode first, RequestContext rc) {
        ConfigNode second = router.drawExcept(s, first);
        if (second == null) {
            return route.apply(first, rc);
        }
        return race(s, first, rc, false, next -> route.apply(second, next), second);
    }

    /**
     * Runs {@code first}; after the delay, {@code rest} (the next target, or the rest of a fallback
     * from it) beside it.
     */
    private CompletableFuture<LeafResult> race(
            StrategyNode s,
            ConfigNode first,
            RequestContext rc,
            boolean fallback,
            java.util.function.Function<RequestContext, CompletableFuture<LeafResult>> rest,
            ConfigNode next) {
        RouteEvaluator.HedgeDelay delay = router.hedgeDelay(s, first);
        Race race = new Race(s, rc, fallback);
        Cancellation ownA = rc.cancellation.child();
        race.a = rc.hedgeSide(ownA, "hedge: first side (" + first.path() + ") of " + s.path());
        race.ownA = ownA;
        CompletableFuture<Void> sleep;
        try {
            sleep = sleeper.sleep(Duration.ofMillis(delay.ms()));
        } catch (RuntimeException e) {
            sleep = CompletableFuture.failedFuture(e);
        }
        race.sleep = sleep;
        CompletableFuture<LeafResult> fa;
        try {
            fa = route.apply(first, race.a);
        } catch (RuntimeException e) {
            fa = CompletableFuture.failedFuture(e);
        }
        fa.whenComplete((r, e) -> {
            race.sideA.complete(null);
            race.firstDone(r, e, rest);
        });
        CompletableFuture<Void> waited = scheduler.untilClosed(sleep);
        Runnable fire = () -> race.fire(rest, next, first, delay);
        if (waited.isDone()) {
            if (!waited.isCompletedExceptionally()) {
                fire.run();
            }
        } else {
            waited.whenCompleteAsync(
                    (v, e) -> {
                        if (e == null) {
                            fire.run();
                        }
                    },
                    rc.executor);
        }
        return race.out;
    }

    /** One hedge: two sides, one answer. */
    private final class Race {
        final StrategyNode s;
        final RequestContext rc;
        final boolean fallback;
        final CompletableFuture<LeafResult> out = new CompletableFuture<>();
        /** Completes when the first side's answer (or cancellation) is in and recorded. */
        final CompletableFuture<Void> sideA = new CompletableFuture<>();
        /** Completes when the second side's answer is in; set when it starts. */
        CompletableFuture<Void> sideB; // guarded by this

        RequestContext a;
        Cancellation ownA;
        CompletableFuture<Void> sleep;
        // guarded by this
        RequestContext b;
        Cancellation ownB;
        boolean fired;
        boolean decided;
        LeafResult failedA;
        LeafResult failedB;
        boolean aDone;
        boolean bDone;

        Race(StrategyNode s, RequestContext rc, boolean fallback) {
            this.s = s;
            this.rc = rc;
            this.fallback = fallback;
        }

        /** The delay ran out: start the other side unless the first one is over. */
        void fire(
                java.util.function.Function<RequestContext, CompletableFuture<LeafResult>> rest,
                ConfigNode next,
                ConfigNode first,
                RouteEvaluator.HedgeDelay delay) {
            synchronized (this) {
                if (aDone || decided || rc.cancellation.isCancelled() || scheduler.isClosed()) {
                    return;
                }
                fired = true;
                sideB = new CompletableFuture<>();
                ownB = rc.cancellation.child();
                b = rc.hedgeSide(
                        ownB,
                        "hedge: second side (" + next.path() + ") of " + s.path() + ", sent after " + delay.ms()
                                + " ms without an answer from " + first.path() + " (" + delay.why() + ")");
            }
            CompletableFuture<LeafResult> fb;
            try {
                fb = rest.apply(b);
            } catch (RuntimeException e) {
                fb = CompletableFuture.failedFuture(e);
            }
            CompletableFuture<Void> done = sideB;
            fb.whenComplete((r, e) -> {
                done.complete(null);
                secondDone(r, e);
            });
        }

        void firstDone(
                LeafResult r,
                Throwable e,
                java.util.function.Function<RequestContext, CompletableFuture<LeafResult>> rest) {
            sleep.cancel(false); // no hedge after this (a fired one runs on)
            boolean moveOnNow;
            synchronized (this) {
                aDone = true;
                if (decided) {
                    discard(r);
                    return;
                }
                if (e == null && !ends(r) && fired && !bDone) {
                    failedA = r; // the other side may still answer
                    return;
                }
                moveOnNow = e == null && !ends(r) && !fired && fallback && !rc.cancellation.isCancelled();
                decided = !moveOnNow;
            }
            rc.cancellation.forget(ownA);
            if (moveOnNow) {
                // failed before the hedge: the fallback moves on (hedged again from there)
                a.note("hedge: " + a.lastLeaf + " failed before the hedge delay; the fallback moves on");
                rest.apply(rc).whenComplete(this::complete);
                return;
            }
            if (e != null) {
                out.completeExceptionally(e);
                return;
            }
            if (fired && ends(r)) {
                win(a, b, ownB, sideB, r);
            } else if (fired) {
                // both failed: the second side, which went further down the order, answers
                a.note("hedge: both sides failed");
                complete(failedB, null);
            } else {
                use(a);
                complete(r, null);
            }
        }

        void secondDone(LeafResult r, Throwable e) {
            synchronized (this) {
                bDone = true;
                if (decided) {
                    discard(r);
                    return;
                }
                if (e == null && !ends(r) && !aDone) {
                    failedB = r;
                    return;
                }
                decided = true;
            }
            rc.cancellation.forget(ownB);
            if (e != null) {
                out.completeExceptionally(e);
                return;
            }
            if (ends(r)) {
                win(b, a, ownA, sideA, r);
            } else {
                b.note("hedge: both sides failed");
                use(b);
                complete(r, null);
            }
        }

        /**
         * {@code winner} answered first: the loser is cancelled, and the answer is handed on once the
         * loser's cancelled attempt is recorded (at once: a cancelled attempt ends without waiting
         * for its provider), so the trace the log sinks get has both sides.
         */
        private void win(
                RequestContext winner,
                RequestContext loser,
                Cancellation loserOwn,
                CompletableFuture<Void> loserDone,
                LeafResult r) {
            winner.note("hedge: won (" + winner.lastLeaf + " answered first)");
            loser.note("hedge: lost to " + winner.lastLeaf + ", cancelled");
            loserOwn.cancel(Failure.of(
                    FailureKind.CANCELLED, "cancelled: the hedge's other side " + winner.lastLeaf + " answered first"));
            rc.cancellation.forget(loserOwn);
            use(winner);
            loserDone.whenComplete((v, e) -> complete(r, null));
        }

        /** The answer is {@code side}'s: its last leaf is the request's last used option. */
        private void use(RequestContext side) {
            String leaf = side.lastLeaf;
            if (leaf != null) {
                rc.leaf(leaf);
                rc.trace.lastUsedOptionIndex(leaf);
            }
        }

        private void complete(LeafResult r, Throwable e) {
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(r);
            }
        }

        /** Whether {@code r} ends the strategy (a fallback would not move on from it). */
        private boolean ends(LeafResult r) {
            return !Engine.movesOn(s.strategy().onStatusCodes(), r);
        }

        /** A side's answer that came after the decision: a stream nobody will read is closed. */
        private void discard(LeafResult r) {
            if (r != null && r.stream() != null) {
                r.stream().deliver().close();
            }
        }
    }
}
