package dev.switchboard.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.failure.FailureKind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The way back is the chain: stages wrap a stream's end in order, and the caller's [DONE] comes last. */
class AnswerStreamTest {
    private static final StreamEnd CLEAN = new StreamEnd(Usage.of(3, 4), null, 0, "hi", null, 2, null, null);

    @Test
    void wrapsRunInnermostFirstAndDoneComesOnlyAfterTheOutermost() {
        GatewayEventStream events = new GatewayEventStream();
        CompletableFuture<StreamEnd> end = new CompletableFuture<>();
        List<String> order = new CopyOnWriteArrayList<>();
        AnswerStream inner = AnswerStream.of(events, end).mapEnd(e -> log(order, "provider", e));
        AnswerStream middle = inner.mapEnd(e -> log(order, "admission", e)).mapEnd(e -> log(order, "record", e));
        GatewayEventStream caller = middle.mapEnd(e -> log(order, "trace", e)).deliver();
        caller.publisher().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ServerSentEvent e) {
                order.add("caller reads " + e.data());
            }

            @Override
            public void onError(Throwable t) {
                order.add("error " + t);
            }

            @Override
            public void onComplete() {
                order.add("caller's stream ends");
            }
        });
        events.push(ServerSentEvent.data("{}"));
        assertEquals(List.of("caller reads {}"), order, "events flow at once; no end work before the end");

        end.complete(CLEAN);
        assertEquals(
                List.of(
                        "caller reads {}",
                        "provider",
                        "admission",
                        "record",
                        "trace",
                        "caller reads [DONE]",
                        "caller's stream ends"),
                order);
    }

    @Test
    void aStreamThatEndedBeforeTheStagesWrappedItStillRunsEveryWrapInOrder() {
        GatewayEventStream events = new GatewayEventStream();
        CompletableFuture<StreamEnd> end = CompletableFuture.completedFuture(CLEAN); // a short stream, already over
        List<String> order = new ArrayList<>();
        GatewayEventStream caller = AnswerStream.of(events, end)
                .mapEnd(e -> log(order, "hooks", e))
                .mapEnd(e -> log(order, "cache", e))
                .deliver();
        assertEquals(List.of("hooks", "cache"), order);
        assertEquals(List.of("[DONE]"), drain(caller));
    }

    @Test
    void aStageThatFailsTheEndSendsItsErrorEventBeforeDoneAndLaterStagesSeeTheFailure() {
        GatewayEventStream events = new GatewayEventStream();
        CompletableFuture<StreamEnd> end = new CompletableFuture<>();
        List<Failure> seenAbove = new ArrayList<>();
        GatewayEventStream caller = AnswerStream.of(events, end)
                .mapEnd(e -> e.withEstimator(chars -> Usage.of(10, chars)))
                .composeEnd(e -> CompletableFuture.completedFuture(e.failedWith(
                        Failure.of(FailureKind.GUARDRAIL_DENY, "denied"), ServerSentEvent.data("{\"error\":{}}"))))
                .mapEnd(e -> {
                    seenAbove.add(e.failure());
                    return e;
                })
                .deliver();
        end.complete(new StreamEnd(null, null, 0, "four", null, 4, null, null));
        assertEquals("hooks_failed", seenAbove.get(0).errorClass());
        assertEquals(List.of("{\"error\":{}}", "[DONE]"), drain(caller));
    }

    @Test
    void aFailedEndWithoutUsageGetsTheEstimateAndACleanOneDoesNot() {
        StreamEnd cut = new StreamEnd(null, Failure.of(FailureKind.STREAM_CUT, "cut"), 0, null, null, 8, null, null)
                .withEstimator(chars -> Usage.of(5, chars / 4));
        assertEquals(2, cut.usage().completionTokens());
        StreamEnd clean =
                new StreamEnd(null, null, 0, null, null, 8, null, null).withEstimator(chars -> Usage.of(5, 1));
        assertNull(clean.usage(), "a clean end without usage reported none: no estimate");
    }

    @Test
    void aStepThatThrowsIsLoggedAndTheCallerStillGetsDone() {
        GatewayEventStream events = new GatewayEventStream();
        List<String> order = new ArrayList<>();
        GatewayEventStream caller = AnswerStream.of(events, CompletableFuture.completedFuture(CLEAN))
                .mapEnd(e -> {
                    throw new IllegalStateException("cache store down");
                })
                .mapEnd(e -> log(order, "trace", e))
                .deliver();
        assertEquals(List.of("trace"), order);
        assertEquals(List.of("[DONE]"), drain(caller));
    }

    @Test
    void aReplayedCachedAnswerEndsCleanlyWithOneDone() {
        GatewayEventStream caller = AnswerStream.replay(
                        List.of(ServerSentEvent.data("{\"a\":1}"), ServerSentEvent.DONE))
                .deliver();
        assertEquals(List.of("{\"a\":1}", "[DONE]"), drain(caller));
    }

    private static StreamEnd log(List<String> order, String stage, StreamEnd e) {
        order.add(stage);
        return e;
    }

    private static List<String> drain(GatewayEventStream s) {
        List<String> out = new ArrayList<>();
        Iterator<ServerSentEvent> it = s.iterator();
        while (it.hasNext()) {
            out.add(it.next().data());
        }
        return out;
    }
}
