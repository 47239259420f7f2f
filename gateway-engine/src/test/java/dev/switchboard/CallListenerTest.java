package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.CallListener;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A listener per request, made on the caller's thread, told of every phase in order. */
class CallListenerTest {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> createdOn = new CopyOnWriteArrayList<>();
    private final Semaphore ended = new Semaphore(0);
    private StubUpstream a;
    private StubUpstream b;

    @BeforeEach
    void start() {
        a = StubUpstream.start();
        b = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private Gateway gateway(String config) {
        return Gateway.builder()
                .config(config)
                .callListenerFactory(request -> {
                    createdOn.add(Thread.currentThread().getName());
                    return new Recording();
                })
                .build();
    }

    @Test
    void aFallbackIsObservedAttemptByAttemptAndTheListenerIsMadeOnTheCallersThread() throws Exception {
        a.enqueue(StubResponse.error(503, "down"));
        Gateway g = gateway("{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + RoutingTest.target(a, "") + ","
                + RoutingTest.target(b, "") + "]}");
        GatewayResponse r = g.executeAsync(RoutingTest.chat()).get(10, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertEquals(
                List.of(
                        "requestStart",
                        "attemptStart config.targets[0] openai gpt-4o-mini 0",
                        "attemptEnd config.targets[0] 503",
                        "attemptStart config.targets[1] openai gpt-4o-mini 0",
                        "attemptEnd config.targets[1] 200",
                        "requestEnd 200 attempts=2"),
                events);
        assertEquals(List.of(Thread.currentThread().getName()), createdOn);
    }

    @Test
    void aStreamIsObservedFromItsFirstEventToItsEnd() {
        a.enqueue(StubResponse.chatStream("Hello", " there"));
        Gateway g = gateway(RoutingTest.target(a, ""));
        GatewayResponse r = g.execute(StreamingTest.streamChat(false));
        assertEquals(
                List.of("requestStart", "attemptStart config openai gpt-4o-mini 0", "firstEvent config"),
                events.subList(0, 3),
                "execute returns at the first event");
        StreamingTest.drain(r.stream());
        assertEquals(
                List.of(
                        "requestStart",
                        "attemptStart config openai gpt-4o-mini 0",
                        "firstEvent config",
                        "attemptEnd config 200",
                        "streamEnd clean usage=true",
                        "requestEnd 200 attempts=1"),
                events);
    }

    @Test
    void aCacheHitIsObservedWithoutAnAttemptStart() {
        Gateway g = gateway(RoutingTest.target(a, "\"cache\":{\"mode\":\"simple\",\"max_age\":60}"));
        g.execute(RoutingTest.chat());
        events.clear();
        g.execute(RoutingTest.chat());
        assertEquals(
                List.of("requestStart", "cacheHit config HIT", "attemptEnd config 200", "requestEnd 200 attempts=1"),
                events);
    }

    @Test
    void aListenerThatThrowsNeverBreaksTheRequest() {
        Gateway g = Gateway.builder()
                .config(RoutingTest.target(a, ""))
                .callListenerFactory(request -> new CallListener() {
                    @Override
                    public void attemptStart(String targetPath, String provider, String model, int retryNumber) {
                        throw new IllegalStateException("metrics backend down");
                    }

                    @Override
                    public void requestEnd(RequestTrace trace) {
                        ended.release();
                        throw new IllegalStateException("again");
                    }
                })
                .build();
        assertEquals(200, g.execute(RoutingTest.chat()).status());
        assertTrue(ended.tryAcquire(), "the later callbacks still came");
    }

    private final class Recording implements CallListener {
        @Override
        public void requestStart(GatewayRequest request) {
            events.add("requestStart");
        }

        @Override
        public void attemptStart(String targetPath, String provider, String model, int retryNumber) {
            events.add("attemptStart " + targetPath + " " + provider + " " + model + " " + retryNumber);
        }

        @Override
        public void firstEvent(String targetPath) {
            events.add("firstEvent " + targetPath);
        }

        @Override
        public void attemptEnd(Attempt attempt) {
            events.add("attemptEnd " + attempt.targetPath() + " " + attempt.status());
        }

        @Override
        public void cacheHit(String targetPath, CacheStatus status) {
            events.add("cacheHit " + targetPath + " " + status);
        }

        @Override
        public void streamEnd(Usage usage, String errorClass) {
            events.add("streamEnd " + (errorClass == null ? "clean" : errorClass) + " usage=" + (usage != null));
        }

        @Override
        public void requestEnd(RequestTrace trace) {
            events.add("requestEnd " + trace.status() + " attempts="
                    + trace.attempts().size());
        }
    }
}
