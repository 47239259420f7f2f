package dev.switchboard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.Charge;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

class RedisStateStoreTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static RedisServerProcess server;
    private static RedisClient admin;

    private RedisStateStore store;

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServerProcess.start();
        admin = RedisClient.create(server.uri());
    }

    @AfterAll
    static void stopRedis() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void emptyRedis() {
        admin.flushAll();
        store = new RedisStateStore(server.uri());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void concurrentChargesFromTwoProcessesStopExactlyAtTheRateLimit() throws Exception {
        // budget would allow 200 requests, the rate counter only 150: the rate limit binds
        List<Charge> charges =
                List.of(new Charge("budget:team-a", 5, 1000, HOUR), new Charge("rate:team-a", 1, 150, MINUTE));

        Hammered result = hammerFromTwoStores(charges, 64, 25);

        assertEquals(150, result.admitted(), "admitted requests");
        assertEquals(150, store.current("rate:team-a"));
        assertEquals(750, store.current("budget:team-a"));
        assertEquals(List.of("rate:team-a"), List.copyOf(result.refusedKeys()), "only the rate counter refuses");
    }

    @Test
    void concurrentChargesFromTwoProcessesStopExactlyAtTheBudget() throws Exception {
        List<Charge> charges =
                List.of(new Charge("budget:team-b", 7, 700, HOUR), new Charge("rate:team-b", 1, 10_000, MINUTE));

        Hammered result = hammerFromTwoStores(charges, 64, 25);

        assertEquals(100, result.admitted(), "admitted requests");
        assertEquals(700, store.current("budget:team-b"), "budget filled to its limit, never above");
        assertEquals(100, store.current("rate:team-b"), "a refused budget charge leaves the rate counter untouched");
        assertEquals(List.of("budget:team-b"), List.copyOf(result.refusedKeys()));
    }

    @Test
    void aRefusedCallChangesNoCounterAndNamesTheChargeThatWouldOvershoot() {
        store.adjust(List.of(new Charge("a", 5, 0, null), new Charge("b", 9, 0, null)));
        Charge overB = new Charge("b", 3, 10, null);

        Optional<Charge> refused = store.tryCharge(List.of(new Charge("a", 3, 10, null), overB));

        assertEquals(Optional.of(overB), refused);
        assertEquals(5, store.current("a"), "a is not charged when b refuses");
        assertEquals(9, store.current("b"));

        assertEquals(
                Optional.empty(), store.tryCharge(List.of(new Charge("a", 3, 10, null), new Charge("b", 1, 10, null))));
        assertEquals(8, store.current("a"));
        assertEquals(10, store.current("b"));
    }

    @Test
    void aChargeThatReachesTheLimitExactlyIsAdmittedAndTheNextOneIsNot() {
        assertEquals(Optional.empty(), store.tryCharge(List.of(new Charge("k", 10, 10, null))));
        Charge one = new Charge("k", 1, 10, null);
        assertEquals(Optional.of(one), store.tryCharge(List.of(one)));
        assertEquals(10, store.current("k"));
    }

    @Test
    void nearTwoToTheFiftyThirdTheLuaDoublesCannotAdmitAboveTheLimit() {
        long twoTo53 = 1L << 53; // where Lua's double numbers stop counting in ones
        store.adjust(List.of(new Charge("k", twoTo53 - 1, 0, null)));
        Charge two = new Charge("k", 2, twoTo53, null);
        assertEquals(Optional.of(two), store.tryCharge(List.of(two)), "2^53 + 1 is above a limit of 2^53");
        assertEquals(twoTo53 - 1, store.current("k"));

        admin.set(RedisStateStore.DEFAULT_PREFIX + "j", Long.toString(twoTo53)); // written by anything else
        Charge one = new Charge("j", 1, twoTo53, null);
        assertEquals(Optional.of(one), store.tryCharge(List.of(one)));
        assertEquals(twoTo53, store.current("j"));
    }

    @Test
    void hugeAmountsAndLimitsAreCappedAndNeverOverflowTheCounter() {
        Charge max = new Charge("k", Long.MAX_VALUE, Long.MAX_VALUE, null);
        assertEquals(Optional.empty(), store.tryCharge(List.of(max)), "an unlimited counter takes the capped amount");
        assertEquals(RedisStateStore.MAX_COUNTER, store.current("k"));
        Charge more = new Charge("k", 1, Long.MAX_VALUE, null);
        assertEquals(Optional.of(more), store.tryCharge(List.of(more)), "a saturated counter admits nothing more");
        store.adjust(List.of(new Charge("k", Long.MAX_VALUE, 0, null), new Charge("k", Long.MAX_VALUE, 0, null)));
        assertEquals(
                RedisStateStore.MAX_COUNTER, store.current("k"), "adjust saturates instead of failing on overflow");
        store.adjust(List.of(new Charge("k", Long.MIN_VALUE, 0, null), new Charge("k", Long.MIN_VALUE, 0, null)));
        assertEquals(-RedisStateStore.MAX_COUNTER, store.current("k"));
        Charge fits = new Charge("k", 5, 10, null);
        assertEquals(Optional.empty(), store.tryCharge(List.of(fits)));
        assertEquals(-RedisStateStore.MAX_COUNTER + 5, store.current("k"), "still exact below 2^53");
    }

    @Test
    void aKeyNamedTwiceInOneCallIsCheckedAgainstItsTotal() {
        Charge second = new Charge("k", 6, 10, null);
        assertEquals(Optional.of(second), store.tryCharge(List.of(new Charge("k", 6, 10, null), second)));
        assertEquals(0, store.current("k"));
    }

    @Test
    void negativeAdjustReleasesAReservation() {
        assertEquals(Optional.empty(), store.tryCharge(List.of(new Charge("budget", 100, 100, HOUR))));

        store.adjust(List.of(new Charge("budget", -40, 100, HOUR)));

        assertEquals(60, store.current("budget"));
        assertEquals(
                Optional.empty(),
                store.tryCharge(List.of(new Charge("budget", 40, 100, HOUR))),
                "released room is usable");
        assertEquals(100, store.current("budget"));
    }

    @Test
    void aChargeWithTtlMakesTheCounterExpireAndOneWithoutTtlDoesNot() {
        store.tryCharge(List.of(new Charge("window", 1, 10, MINUTE), new Charge("forever", 1, 10, null)));

        long pttl = admin.pttl("switchboard:window");
        assertTrue(pttl > 0 && pttl <= 60_000, "PTTL " + pttl);
        assertEquals(-1, admin.pttl("switchboard:forever"), "no ttl, no expiry");
    }

    @Test
    void theLongerTtlWinsAndAShorterOneNeverCutsAnExpiry() {
        store.tryCharge(List.of(new Charge("k", 1, 10, MINUTE)));
        store.tryCharge(List.of(new Charge("k", 1, 10, Duration.ofSeconds(5))));
        assertTrue(admin.pttl("switchboard:k") > 5_000, "a shorter ttl does not shorten the expiry");

        store.adjust(List.of(new Charge("k", 1, 10, Duration.ofMinutes(10))));
        assertTrue(admin.pttl("switchboard:k") > 60_000, "a longer ttl lengthens it");
        assertEquals(3, store.current("k"));
    }

    @Test
    void adjustOnANewKeySetsItsTtl() {
        store.adjust(List.of(new Charge("fresh", 7, 0, MINUTE)));
        assertEquals(7, store.current("fresh"));
        assertTrue(admin.pttl("switchboard:fresh") > 0);
    }

    @Test
    void tryChargeAndAdjustStillWorkAfterRedisForgetsItsScripts() {
        store.tryCharge(List.of(new Charge("k", 1, 10, null)));
        store.adjust(List.of(new Charge("k", 1, 10, null)));
        admin.scriptFlush();
        assertFalse(admin.scriptExists(RedisStateStore.tryChargeScriptSha1(), "switchboard:k"), "scripts are gone");

        assertEquals(Optional.empty(), store.tryCharge(List.of(new Charge("k", 1, 10, null))));
        store.adjust(List.of(new Charge("k", 1, 10, null)));

        assertEquals(4, store.current("k"));
        assertTrue(
                admin.scriptExists(RedisStateStore.tryChargeScriptSha1(), "switchboard:k"),
                "EVAL cached the script again");
    }

    @Test
    void currentOfAnUnknownCounterIsZero() {
        assertEquals(0, store.current("never-charged"));
    }

    @Test
    void theKeyPrefixKeepsStoresApart() {
        try (RedisStateStore other = new RedisStateStore(RedisClient.create(server.uri()), "{tenant-2}:")) {
            store.tryCharge(List.of(new Charge("k", 3, 10, null)));
            other.tryCharge(List.of(new Charge("k", 5, 10, null)));

            assertEquals("3", admin.get("switchboard:k"));
            assertEquals("5", admin.get("{tenant-2}:k"));
        }
    }

    @Test
    void aCounterHoldingTextFailsWithAMessageNamingTheKey() {
        admin.set("switchboard:k", "abc");

        RedisStoreException e =
                assertThrows(RedisStoreException.class, () -> store.tryCharge(List.of(new Charge("k", 1, 10, null))));
        assertTrue(e.getMessage().contains("switchboard:k") && e.getMessage().contains("integer"), e.getMessage());
        RedisStoreException read = assertThrows(RedisStoreException.class, () -> store.current("k"));
        assertTrue(read.getMessage().contains("switchboard:k"), read.getMessage());
    }

    @Test
    void unreachableRedisFailsWithAMessageNamingTheStoreAndNotThePassword() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (RedisStateStore down = new RedisStateStore(URI.create("redis://app:s3cret-pw@127.0.0.1:" + closedPort))) {
            RedisStoreException e = assertThrows(
                    RedisStoreException.class, () -> down.tryCharge(List.of(new Charge("k", 1, 10, null))));

            assertTrue(
                    e.getMessage()
                            .startsWith("RedisStateStore at redis://127.0.0.1:" + closedPort + " could not tryCharge"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("s3cret-pw"), e.getMessage());
            assertFalse(down.toString().contains("s3cret-pw"), down.toString());
        }
    }

    @Test
    void aUriThatIsNotRedisIsRejectedAtConstruction() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new RedisStateStore(URI.create("http://user:pw@127.0.0.1:6379")));
        assertTrue(e.getMessage().contains("redis://"), e.getMessage());
        assertFalse(e.getMessage().contains("pw@"), e.getMessage());
    }

    @Test
    void ttlBelowOneMillisecondRoundsUpAndNoneOrNegativeMeansNoExpiry() {
        assertEquals(1, RedisStateStore.ttlMillis(Duration.ofNanos(10)));
        assertEquals(0, RedisStateStore.ttlMillis(null));
        assertEquals(0, RedisStateStore.ttlMillis(Duration.ofSeconds(-1)));
        assertEquals(0, RedisStateStore.ttlMillis(Duration.ofDays(365L * 1000)));
        assertEquals(60_000, RedisStateStore.ttlMillis(MINUTE));
    }

    private record Hammered(long admitted, Set<String> refusedKeys) {}

    /**
     * {@code threads} threads, half using one store and half another, each with its own connection
     * pool (as two gateway JVMs would), all released at once and each trying {@code attempts} times.
     */
    private Hammered hammerFromTwoStores(List<Charge> charges, int threads, int attempts) throws Exception {
        AtomicLong admitted = new AtomicLong();
        Set<String> refusedKeys = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (RedisStateStore jvm1 = new RedisStateStore(server.uri());
                RedisStateStore jvm2 = new RedisStateStore(server.uri())) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                RedisStateStore mine = t % 2 == 0 ? jvm1 : jvm2;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < attempts; i++) {
                        Optional<Charge> refused = mine.tryCharge(charges);
                        if (refused.isEmpty()) {
                            admitted.incrementAndGet();
                        } else {
                            refusedKeys.add(refused.get().key());
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Hammered(admitted.get(), refusedKeys);
    }

    @Test
    void valuesAreKeptWithTheirTtlReplacedAndRemoved() {
        assertTrue(store.putValue("responses:resp_1", "{\"a\":1}", Duration.ofSeconds(90)));
        assertEquals(Optional.of("{\"a\":1}"), store.getValue("responses:resp_1"));
        long ttl = admin.pttl("switchboard:responses:resp_1");
        assertTrue(ttl > 80_000 && ttl <= 90_000, "the TTL is set on the Redis key: " + ttl);
        assertTrue(store.putValue("responses:resp_1", "two", Duration.ofSeconds(90)));
        assertEquals(Optional.of("two"), store.getValue("responses:resp_1"));
        assertTrue(store.removeValue("responses:resp_1"));
        assertEquals(Optional.empty(), store.getValue("responses:resp_1"));
        assertFalse(store.removeValue("responses:resp_1"));
    }
}
