package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testkit.FakeTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Portkey OSS reads {@code cache.max_age} as milliseconds, Switchboard as seconds: a value that only
 * makes sense as milliseconds is kept (seconds) but warned about once, when the gateway is built.
 * The warning is captured from slf4j-simple, which writes to {@code System.err}.
 */
class CacheMaxAgeUnitsTest {
    private static String build(String config) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Gateway.builder().transport(new FakeTransport()).config(config).build();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMaxAgeThatLooksLikeMillisecondsIsWarnedAboutOnceWithItsPath() {
        String log = build("{\"strategy\":{\"mode\":\"single\"},\"targets\":[{\"provider\":\"openai\","
                + "\"api_key\":\"sk-test\",\"cache\":{\"mode\":\"simple\",\"max_age\":60000}}]}");
        assertTrue(log.contains("WARN"), log);
        assertTrue(
                log.contains("cache.max_age at /targets/0/cache/max_age is 60000 seconds (16.7 hours);"
                        + " Switchboard reads seconds, Portkey OSS milliseconds — if you meant 60 s, write 60"),
                log);
        assertEquals(1, log.lines().filter(l -> l.contains("max_age")).count(), "once: " + log);
    }

    @Test
    void longMillisecondLikeValuesAreShownInDays() {
        String log = build("{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"cache\":{\"mode\":\"simple\","
                + "\"max_age\":3600000}}");
        assertTrue(log.contains("/cache/max_age is 3600000 seconds (41.7 days)"), log);
        assertTrue(log.contains("write 3600"), log);
    }

    @Test
    void ordinarySecondValuesStayQuiet() {
        for (int seconds : new int[] {60, 3600, 86400, 604800, 59000}) {
            String log = build("{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"cache\":{\"mode\":\"simple\","
                    + "\"max_age\":" + seconds + "}}");
            assertFalse(log.contains("max_age"), seconds + ": " + log);
        }
    }
}
