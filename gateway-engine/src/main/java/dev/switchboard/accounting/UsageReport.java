package dev.switchboard.accounting;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.internal.accounting.Saturating;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Sums tokens and cost of logged requests by provider, model, virtual key or any metadata field.
 *
 * <pre>{@code
 * UsageReport.Table t = UsageReport.of(sink.traces())
 *         .between(Instant.parse("2026-07-01T00:00:00Z"), Instant.parse("2026-08-01T00:00:00Z"))
 *         .groupBy(UsageReport.byMetadata("team"));
 * System.out.println(t);   // a readable table, one row per team, cost descending
 * }</pre>
 *
 * <p>Every attempt counts (failed and retried ones too), each in the group of its own provider and
 * model; {@code requests} counts the distinct requests with an attempt in the group. The virtual
 * key is read from the request metadata field {@value #VIRTUAL_KEY}, which the gateway sets to the
 * slug of the key used ({@link Attempt} has no key of its own). Costs that are unknown are not
 * added as 0: they are counted in {@code unknownCostAttempts}. A request without attempts (answered
 * before any provider call) counts as a request with no tokens. {@code between} keeps requests with
 * {@code from <= startedAt < to}.
 */
public final class UsageReport {
    /** Metadata field holding the virtual key slug of a request. */
    public static final String VIRTUAL_KEY = "virtual_key";
    /** Group name for a missing value. */
    public static final String NONE = "(none)";

    private final List<RequestTrace> traces;

    private UsageReport(List<RequestTrace> traces) {
        this.traces = traces;
    }

    /**
     * A report over some traces, e.g. an {@link InMemoryLogSink}'s.
     *
     * @param traces the requests to sum; copied
     * @return the report
     */
    public static UsageReport of(Iterable<RequestTrace> traces) {
        List<RequestTrace> list = new ArrayList<>();
        traces.forEach(list::add);
        return new UsageReport(List.copyOf(list));
    }

    /**
     * Keeps the requests that started in {@code [from, to)}.
     *
     * @param from the first instant kept
     * @param to   the first instant no longer kept
     * @return a new report
     */
    public UsageReport between(Instant from, Instant to) {
        List<RequestTrace> kept = new ArrayList<>();
        for (RequestTrace t : traces) {
            Instant s = t.startedAt();
            if (s != null && !s.isBefore(from) && s.isBefore(to)) {
                kept.add(t);
            }
        }
        return new UsageReport(List.copyOf(kept));
    }

    /**
     * What rows are grouped by.
     *
     * @param name    the name of the grouping, the table's first column header
     * @param groupOf the group of an attempt of a request (the attempt is null for a request without
     *                attempts); null means {@value #NONE}
     */
    public record Dimension(String name, BiFunction<RequestTrace, Attempt, String> groupOf) {}

    /** {@return the grouping by provider id} */
    public static Dimension byProvider() {
        return new Dimension("provider", (t, a) -> a == null ? null : a.provider());
    }

    /** {@return the grouping by {@code provider/model}} */
    public static Dimension byModel() {
        return new Dimension("model", (t, a) -> a == null ? null : a.provider() + "/" + a.model());
    }

    /** {@return the grouping by the attempt's virtual key; attempts without one fall back to the trace metadata field {@code virtual_key}} */
    public static Dimension byVirtualKey() {
        return new Dimension(
                VIRTUAL_KEY,
                (t, a) -> a != null && a.virtualKey() != null
                        ? a.virtualKey()
                        : t.metadata() == null ? null : t.metadata().get(VIRTUAL_KEY));
    }

    /**
     * Groups by a request metadata field, e.g. {@code team}.
     *
     * @param field the metadata field
     * @return the grouping; requests without the field are in {@value #NONE}
     */
    public static Dimension byMetadata(String field) {
        Objects.requireNonNull(field, "field");
        return new Dimension(
                field, (t, a) -> t.metadata() == null ? null : t.metadata().get(field));
    }

    /**
     * One group's totals.
     *
     * @param group               the group's name
     * @param requests            distinct requests with an attempt in the group
     * @param attempts            attempts in the group, failed and retried ones included
     * @param promptTokens        prompt tokens of those attempts
     * @param completionTokens    completion tokens of those attempts
     * @param costUsd             the sum of the known costs only
     * @param unknownCostAttempts attempts whose cost is unknown (not added as 0)
     */
    public record Row(
            String group,
            long requests,
            long attempts,
            long promptTokens,
            long completionTokens,
            BigDecimal costUsd,
            long unknownCostAttempts) {}

    /**
     * Sums the report by one dimension.
     *
     * @param dimension what to group by, e.g. {@link #byModel()}
     * @return one row per group, highest cost first
     */
    public Table groupBy(Dimension dimension) {
        Map<String, Acc> groups = new LinkedHashMap<>();
        for (RequestTrace t : traces) {
            List<Attempt> attempts = t.attempts() == null ? List.of() : t.attempts();
            if (attempts.isEmpty()) {
                groups.computeIfAbsent(name(dimension.groupOf().apply(t, null)), Acc::new)
                        .request(t);
            }
            for (Attempt a : attempts) {
                Acc acc = groups.computeIfAbsent(name(dimension.groupOf().apply(t, a)), Acc::new);
                acc.request(t);
                acc.attempts++;
                if (a.usage() != null) {
                    acc.prompt =
                            Saturating.add(acc.prompt, Math.max(0, a.usage().promptTokens()));
                    acc.completion =
                            Saturating.add(acc.completion, Math.max(0, a.usage().completionTokens()));
                }
                if (a.cost() != null && a.cost().known()) {
                    acc.cost = acc.cost.add(a.cost().usd());
                } else {
                    acc.unknown++;
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Acc acc : groups.values()) {
            rows.add(new Row(
                    acc.group,
                    acc.requests.size(),
                    acc.attempts,
                    acc.prompt,
                    acc.completion,
                    acc.cost.stripTrailingZeros(),
                    acc.unknown));
        }
        rows.sort(Comparator.comparing(Row::costUsd).reversed().thenComparing(Row::group));
        return new Table(dimension.name(), List.copyOf(rows));
    }

    private static String name(String group) {
        return group == null ? NONE : group;
    }

    /**
     * Rows of one grouping; {@link #toString()} renders an aligned text table with a total line.
     *
     * @param dimension the name of the grouping
     * @param rows      the rows, highest cost first
     */
    public record Table(String dimension, List<Row> rows) {
        /**
         * Finds one group's row.
         *
         * @param group the group name
         * @return its row, or null
         */
        public Row row(String group) {
            return rows.stream()
                    .filter(r -> r.group().equals(group))
                    .findFirst()
                    .orElse(null);
        }

        @Override
        public String toString() {
            List<String[]> cells = new ArrayList<>();
            cells.add(new String[] {
                dimension, "requests", "attempts", "prompt_tokens", "completion_tokens", "cost_usd", "unknown_cost"
            });
            long req = 0, att = 0, pt = 0, ct = 0, unk = 0;
            BigDecimal cost = BigDecimal.ZERO;
            for (Row r : rows) {
                cells.add(cells(
                        r.group(),
                        r.requests(),
                        r.attempts(),
                        r.promptTokens(),
                        r.completionTokens(),
                        r.costUsd(),
                        r.unknownCostAttempts()));
                req += r.requests();
                att += r.attempts();
                pt = Saturating.add(pt, r.promptTokens());
                ct = Saturating.add(ct, r.completionTokens());
                cost = cost.add(r.costUsd());
                unk += r.unknownCostAttempts();
            }
            cells.add(cells("total", req, att, pt, ct, cost, unk));
            int[] width = new int[cells.get(0).length];
            for (String[] row : cells) {
                for (int i = 0; i < row.length; i++) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
            StringBuilder s = new StringBuilder();
            for (int r = 0; r < cells.size(); r++) {
                String[] row = cells.get(r);
                for (int i = 0; i < row.length; i++) {
                    String pad = " ".repeat(width[i] - row[i].length());
                    s.append(i == 0 ? row[i] + pad : "  " + pad + row[i]);
                }
                s.append('\n');
            }
            return s.toString();
        }

        private static String[] cells(String group, long req, long att, long pt, long ct, BigDecimal cost, long unk) {
            return new String[] {
                group,
                Long.toString(req),
                Long.toString(att),
                Long.toString(pt),
                Long.toString(ct),
                cost.stripTrailingZeros().toPlainString(),
                Long.toString(unk)
            };
        }
    }

    private static final class Acc {
        final String group;
        final Set<RequestTrace> requests = Collections.newSetFromMap(new IdentityHashMap<>());
        long attempts;
        long prompt;
        long completion;
        BigDecimal cost = BigDecimal.ZERO;
        long unknown;

        Acc(String group) {
            this.group = group;
        }

        void request(RequestTrace t) {
            requests.add(t);
        }
    }
}
