package dev.switchboard.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Cost;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageReportTest {
    private static FakeTrace t(String id, String at, String team, String key, dev.switchboard.api.Attempt... attempts) {
        return new FakeTrace(
                id, Instant.parse(at), 200, List.of(attempts), null, Map.of("team", team, "virtual_key", key));
    }

    private static final List<RequestTrace> TRACES = List.of(
            t(
                    "1",
                    "2026-07-01T09:00:00Z",
                    "search",
                    "@openai-prod",
                    FakeTrace.attempt("openai", "gpt-4o", 503, null, Cost.ZERO),
                    FakeTrace.attempt("openai", "gpt-4o", 200, Usage.of(100, 10), FakeTrace.usd("0.00035"))),
            t(
                    "2",
                    "2026-07-02T09:00:00Z",
                    "search",
                    "@anthropic",
                    FakeTrace.attempt(
                            "anthropic", "claude-sonnet-4-5", 200, Usage.of(1000, 100), FakeTrace.usd("0.0045"))),
            t(
                    "3",
                    "2026-07-03T09:00:00Z",
                    "ads",
                    "@openai-prod",
                    FakeTrace.attempt("acme", "m", 200, Usage.of(5, 5), Cost.unknown("no price"))),
            t(
                    "4",
                    "2026-08-01T00:00:00Z",
                    "ads",
                    "@openai-prod",
                    FakeTrace.attempt("openai", "gpt-4o-mini", 200, Usage.of(10, 10), FakeTrace.usd("1"))));

    private static final Instant JULY = Instant.parse("2026-07-01T00:00:00Z");
    private static final Instant AUGUST = Instant.parse("2026-08-01T00:00:00Z");

    @Test
    void groupsAttemptsByProviderCountingRequestsOnce() {
        UsageReport.Table t = UsageReport.of(TRACES).between(JULY, AUGUST).groupBy(UsageReport.byProvider());
        UsageReport.Row openai = t.row("openai");
        assertEquals(1, openai.requests());
        assertEquals(2, openai.attempts(), "the failed attempt counts too");
        assertEquals(100, openai.promptTokens());
        assertEquals(0, new BigDecimal("0.00035").compareTo(openai.costUsd()));
        assertEquals("anthropic", t.rows().get(0).group(), "rows are sorted by cost, highest first");
    }

    @Test
    void betweenKeepsRequestsStartedInTheHalfOpenRange() {
        UsageReport.Table all = UsageReport.of(TRACES).groupBy(UsageReport.byModel());
        assertEquals(4, all.rows().size());
        UsageReport.Table july = UsageReport.of(TRACES).between(JULY, AUGUST).groupBy(UsageReport.byModel());
        assertEquals(null, july.row("openai/gpt-4o-mini"), "a request at exactly the end is outside the range");
    }

    @Test
    void unknownCostsAreCountedNotAddedAsZero() {
        UsageReport.Row ads = UsageReport.of(TRACES)
                .between(JULY, AUGUST)
                .groupBy(UsageReport.byMetadata("team"))
                .row("ads");
        assertEquals(1, ads.unknownCostAttempts());
        assertEquals(0, BigDecimal.ZERO.compareTo(ads.costUsd()));
        assertEquals(10, ads.promptTokens() + ads.completionTokens());
    }

    @Test
    void groupsByVirtualKeyFromTheRequestMetadata() {
        UsageReport.Table byKey = UsageReport.of(TRACES).groupBy(UsageReport.byVirtualKey());
        assertEquals(3, byKey.row("@openai-prod").requests());
        assertEquals(
                0, new BigDecimal("1.00035").compareTo(byKey.row("@openai-prod").costUsd()));
        assertEquals(1, byKey.row("@anthropic").requests());
    }

    @Test
    void missingMetadataFallsInTheNoneGroup() {
        UsageReport.Table t = UsageReport.of(TRACES).groupBy(UsageReport.byMetadata("project"));
        assertEquals(4, t.row(UsageReport.NONE).requests());
    }

    @Test
    void tableRendersAlignedRowsAndATotal() {
        String text = UsageReport.of(TRACES)
                .between(JULY, AUGUST)
                .groupBy(UsageReport.byMetadata("team"))
                .toString();
        String[] lines = text.split("\n");
        assertEquals(4, lines.length, text);
        assertTrue(lines[0].startsWith("team "), text);
        assertTrue(lines[1].matches("search +2 +3 +1100 +110 +0.00485 +0"), text);
        assertTrue(lines[3].startsWith("total "), text);
        assertEquals(lines[1].length(), lines[3].length(), "columns are aligned:\n" + text);
    }
}
