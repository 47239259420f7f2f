package dev.switchboard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness runs one tiny round end to end, so it cannot rot. Behaviour only, never timing. */
class SideBySideTest {
    @Test
    void oneTinyRoundRunsEveryModeWithoutErrorsAndPrintsTheTable() throws Exception {
        SideBySide.Options o = new SideBySide.Options(
                new int[] {1, 2}, 1, Duration.ofMillis(200), Duration.ZERO, 3, null, java.util.Set.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SideBySide.Report report = SideBySide.run(o, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertEquals(
                List.of(
                        SideBySide.Mode.DIRECT,
                        SideBySide.Mode.RAW,
                        SideBySide.Mode.EXECUTE,
                        SideBySide.Mode.EXECUTE_ASYNC,
                        SideBySide.Mode.DIRECT_STREAM,
                        SideBySide.Mode.RAW_STREAM,
                        SideBySide.Mode.STREAM),
                report.modes(),
                "no Portkey without its start script");
        assertEquals(List.of(1, 2), List.copyOf(report.results().keySet()));
        for (Map<SideBySide.Mode, List<SideBySide.Round>> cell :
                report.results().values()) {
            for (SideBySide.Mode m : report.modes()) {
                List<SideBySide.Round> rounds = cell.get(m);
                assertEquals(1, rounds.size(), m.label());
                SideBySide.Round r = rounds.get(0);
                assertTrue(r.requests() > 0, m.label() + " completed no call");
                assertEquals(0, r.errors(), m.label() + " had failed calls");
                assertTrue(r.p99Micros() >= r.p50Micros(), m.label() + ": p99 below p50");
                assertEquals(m.baseline() == SideBySide.Mode.DIRECT_STREAM, r.firstChunkP50Micros() > 0, m.label());
            }
        }
        String table = report.table();
        assertTrue(table.startsWith("| mode | callers | throughput / direct"), table);
        assertEquals(2 + 2 * 7, table.lines().count(), table);
        assertTrue(table.contains("| Switchboard executeAsync | 2 | **"), table);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("round 1/1 done"));
    }

    @Test
    void modesNamedRunWithTheirBaselines() {
        SideBySide.Options o = SideBySide.parse(new String[] {"--modes", "stream"});
        assertEquals(
                java.util.Set.of(SideBySide.Mode.STREAM, SideBySide.Mode.DIRECT_STREAM, SideBySide.Mode.RAW_STREAM),
                o.only());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> SideBySide.parse(new String[] {"--modes", "fast"}));
        assertTrue(e.getMessage().startsWith("--modes: found fast, expected some of"), e.getMessage());
    }

    @Test
    void argumentsAreParsedAndBadOnesNamed() {
        SideBySide.Options o = SideBySide.parse(
                new String[] {"--rounds", "2", "--seconds", "0.5", "--concurrency", "1,4", "--events", "7"});
        assertEquals(2, o.rounds());
        assertEquals(Duration.ofMillis(500), o.roundTime());
        assertEquals(
                List.of(1, 4), java.util.Arrays.stream(o.concurrency()).boxed().toList());
        assertEquals(7, o.streamEvents());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SideBySide.parse(new String[] {"--portkey", "/nonexistent/x.sh"}));
        assertTrue(e.getMessage().contains("/nonexistent/x.sh"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SideBySide.parse(new String[] {"--concurrency", "0"}));
        assertTrue(e.getMessage().startsWith("concurrency: found [0]"), e.getMessage());
    }
}
