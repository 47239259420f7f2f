package dev.switchboard.benchmarks;

import dev.switchboard.Gateway;
import dev.switchboard.api.EventStream;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.internal.http.Http1Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The side-by-side harness (issue 16, finding 6): one {@link NettyStub} upstream, a closed-loop
 * driver, and interleaved rounds of the same calls made directly with the JDK {@code HttpClient},
 * through Switchboard's {@code execute}, {@code executeAsync} and streams, and — when the path of a
 * script that starts it is given — through Portkey. Each round runs every mode once at every
 * concurrency, in an order that rotates from round to round, so machine noise hits all modes alike;
 * a mode's throughput is divided by the direct mode's throughput <em>of the same round</em>. Prints a
 * markdown table: ratio to direct (median and min–max over rounds), p50/p99 and their delta to
 * direct, time to the first chunk for streams, and process CPU per request.
 *
 * <p>Run it with {@code bash benchmarks/side-by-side.sh [--rounds N] [--seconds S] [--warmup S]
 * [--concurrency 1,8,32] [--events N] [--portkey path/to/start.sh]}.
 */
public final class SideBySide {
    private static final String CHAT_BODY =
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in five words.\"}]}";
    private static final String STREAM_BODY = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"Say hello in five words.\"}]}";
    private static final String KEY = "sk-bench";

    private SideBySide() {}

    /** What is measured: a way of making the call, and the mode it is compared with. */
    public enum Mode {
        /** The JDK {@code HttpClient} straight to the stub, a whole answer read as bytes. */
        DIRECT("direct JDK client", false),
        /**
         * Switchboard's own HTTP/1.1 transport straight to the stub, without the gateway: what the
         * gateway's engine adds is the difference between this and {@code execute}.
         */
        RAW("Switchboard's HTTP/1.1 client alone", false),
        /** {@code Gateway.execute}: request parsed from its JSON, answer serialised to bytes. */
        EXECUTE("Switchboard execute", false),
        /** {@code Gateway.executeAsync}, closed loop: each caller issues the next call on completion. */
        EXECUTE_ASYNC("Switchboard executeAsync", false),
        /** Portkey on the same stub (only when its start script is given). */
        PORTKEY("Portkey", false),
        /** The JDK {@code HttpClient} straight to the stub, the SSE stream read line by line. */
        DIRECT_STREAM("direct JDK client, stream", true),
        /** Switchboard's HTTP/1.1 transport alone, the SSE stream read line by line. */
        RAW_STREAM("Switchboard's HTTP/1.1 client alone, stream", true),
        /** {@code Gateway.execute} of a streamed request, every event read. */
        STREAM("Switchboard stream", true),
        /** Portkey, streamed (only when its start script is given). */
        PORTKEY_STREAM("Portkey, stream", true);

        private final String label;
        private final boolean streamed;

        Mode(String label, boolean streamed) {
            this.label = label;
            this.streamed = streamed;
        }

        /** {@return the name printed in the table} */
        public String label() {
            return label;
        }

        /** {@return the mode this one is compared with: direct, or direct stream for streams} */
        public Mode baseline() {
            return streamed ? DIRECT_STREAM : DIRECT;
        }

        /**
         * {@return for a mode through the gateway, the same call made with the gateway's own transport
         * alone (the engine's share is the difference); null for the others}
         */
        public @Nullable Mode transportAlone() {
            return switch (this) {
                case EXECUTE, EXECUTE_ASYNC -> RAW;
                case STREAM -> RAW_STREAM;
                default -> null;
            };
        }
    }

    /**
     * How long and how hard to run.
     *
     * @param concurrency callers in the closed loop, one cell per value
     * @param rounds interleaved rounds (each runs every mode at every concurrency)
     * @param roundTime time each mode runs in each round
     * @param warmup time each mode runs once at each concurrency before the first round
     * @param streamEvents content chunks the stub sends per stream
     * @param portkeyStart a script that starts Portkey ({@code start.sh PORT} prints its pid), or null
     */
    public record Options(
            int[] concurrency,
            int rounds,
            Duration roundTime,
            Duration warmup,
            int streamEvents,
            @Nullable Path portkeyStart,
            java.util.Set<Mode> only) {
        /** Checks the values. */
        public Options {
            if (concurrency.length == 0 || Arrays.stream(concurrency).anyMatch(c -> c < 1)) {
                throw new IllegalArgumentException(
                        "concurrency: found " + Arrays.toString(concurrency) + ", expected values of at least 1");
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds: found " + rounds + ", expected at least 1");
            }
            if (roundTime.isNegative() || roundTime.isZero()) {
                throw new IllegalArgumentException("seconds: found " + roundTime + ", expected more than 0");
            }
            concurrency = concurrency.clone();
            only = java.util.Set.copyOf(only);
        }

        /** {@return the defaults: concurrency 1, 8, 32; 5 rounds of 3 s; 2 s warm-up; 5 events; no Portkey} */
        public static Options defaults() {
            return new Options(
                    new int[] {1, 8, 32}, 5, Duration.ofSeconds(3), Duration.ofSeconds(2), 5, null, java.util.Set.of());
        }
    }

    /**
     * One mode at one concurrency in one round.
     *
     * @param requests calls completed
     * @param errors calls that failed or answered other than 200
     * @param seconds wall time of the round
     * @param p50Micros median latency of a whole call
     * @param p99Micros 99th percentile latency of a whole call
     * @param firstChunkP50Micros median time to the first stream chunk, or -1 for whole answers
     * @param cpuMicrosPerRequest process CPU time (stub, driver and gateway) per call
     */
    public record Round(
            long requests,
            long errors,
            double seconds,
            double p50Micros,
            double p99Micros,
            double firstChunkP50Micros,
            double cpuMicrosPerRequest) {
        /** {@return calls per second} */
        public double throughput() {
            return requests / seconds;
        }
    }

    /**
     * Everything measured: per concurrency and mode, the rounds in order.
     *
     * @param results rounds per concurrency and mode
     * @param modes the modes that ran, in table order
     */
    public record Report(Map<Integer, Map<Mode, List<Round>>> results, List<Mode> modes) {
        /** {@return the markdown table: one row per concurrency and mode} */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append("| mode | callers | throughput / direct, median (min–max) | ÷ own client alone | req/s "
                    + "| p50 µs (Δ direct) | p99 µs (Δ direct) | first chunk p50 µs (Δ direct) | CPU µs/req (Δ direct) "
                    + "| errors |\n");
            sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
            for (var byConcurrency : results.entrySet()) {
                int c = byConcurrency.getKey();
                Map<Mode, List<Round>> cell = byConcurrency.getValue();
                for (Mode mode : modes) {
                    List<Round> rounds = cell.get(mode);
                    List<Round> base = cell.get(mode.baseline());
                    double[] ratios = new double[rounds.size()];
                    for (int i = 0; i < ratios.length; i++) {
                        double b = base.get(i).throughput();
                        ratios[i] = b == 0 ? 0 : rounds.get(i).throughput() / b;
                    }
                    double p50 = median(rounds, Round::p50Micros);
                    double p99 = median(rounds, Round::p99Micros);
                    double first = median(rounds, Round::firstChunkP50Micros);
                    double cpu = median(rounds, Round::cpuMicrosPerRequest);
                    boolean isBase = mode == mode.baseline();
                    sb.append("| ")
                            .append(mode.label())
                            .append(" | ")
                            .append(c)
                            .append(" | ")
                            .append(isBase ? "1 (baseline)" : ratioCell(ratios))
                            .append(" | ")
                            .append(
                                    mode.transportAlone() == null
                                            ? "—"
                                            : ratioCell(ratios(rounds, cell.get(mode.transportAlone()))))
                            .append(" | ")
                            .append(fmt0(median(rounds, Round::throughput)))
                            .append(" | ")
                            .append(withDelta(p50, median(base, Round::p50Micros), isBase))
                            .append(" | ")
                            .append(withDelta(p99, median(base, Round::p99Micros), isBase))
                            .append(" | ")
                            .append(
                                    first < 0
                                            ? "—"
                                            : withDelta(first, median(base, Round::firstChunkP50Micros), isBase))
                            .append(" | ")
                            .append(withDelta(cpu, median(base, Round::cpuMicrosPerRequest), isBase))
                            .append(" | ")
                            .append(rounds.stream().mapToLong(Round::errors).sum())
                            .append(" |\n");
                }
            }
            return sb.toString();
        }

        private static double[] ratios(List<Round> rounds, List<Round> base) {
            double[] r = new double[rounds.size()];
            for (int i = 0; i < r.length; i++) {
                double b = base.get(i).throughput();
                r[i] = b == 0 ? 0 : rounds.get(i).throughput() / b;
            }
            return r;
        }

        private static String ratioCell(double[] ratios) {
            double[] s = ratios.clone();
            Arrays.sort(s);
            return String.format(Locale.ROOT, "**%.2f** (%.2f–%.2f)", medianOf(s), s[0], s[s.length - 1]);
        }

        private static String withDelta(double value, double base, boolean isBase) {
            if (isBase) {
                return fmt0(value);
            }
            return fmt0(value) + " (" + (value >= base ? "+" : "−") + fmt0(Math.abs(value - base)) + ")";
        }

        private static String fmt0(double v) {
            return String.format(Locale.ROOT, "%.0f", v);
        }

        private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
            double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
            return medianOf(v);
        }

        private static double medianOf(double[] sorted) {
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }

    /**
     * Runs the harness and prints the table.
     *
     * @param args {@code --rounds N --seconds S --warmup S --concurrency 1,8,32 --events N --portkey PATH}
     * @throws Exception when the harness cannot start (the stub, the gateway or Portkey)
     */
    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Report report = run(o, System.err);
        System.out.println();
        System.out.println(report.table());
    }

    static Options parse(String[] args) {
        Options d = Options.defaults();
        int[] concurrency = d.concurrency();
        int rounds = d.rounds();
        Duration roundTime = d.roundTime();
        Duration warmup = d.warmup();
        int events = d.streamEvents();
        Path portkey = null;
        java.util.Set<Mode> only = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                portkey = Path.of(a);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + ": found no value, expected one after it");
            }
            String v = args[++i];
            switch (a) {
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--seconds" -> roundTime = Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
                case "--warmup" -> warmup = Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
                case "--concurrency" ->
                    concurrency = Arrays.stream(v.split(","))
                            .map(String::trim)
                            .mapToInt(Integer::parseInt)
                            .toArray();
                case "--events" -> events = Integer.parseInt(v);
                case "--portkey" -> portkey = Path.of(v);
                case "--modes" -> {
                    for (String name : v.split(",")) {
                        try {
                            Mode m = Mode.valueOf(
                                    name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
                            only.add(m);
                            only.add(m.baseline());
                            if (m.transportAlone() != null) {
                                only.add(m.transportAlone());
                            }
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("--modes: found " + name + ", expected some of "
                                    + Arrays.toString(Mode.values()).toLowerCase(Locale.ROOT));
                        }
                    }
                }
                default ->
                    throw new IllegalArgumentException(
                            "unknown option: found " + a
                                    + ", expected --rounds, --seconds, --warmup, --concurrency, --events, --modes or --portkey");
            }
        }
        if (portkey != null && !Files.isRegularFile(portkey)) {
            throw new IllegalArgumentException(
                    "--portkey: found " + portkey + ", expected the path of Portkey's start script");
        }
        return new Options(concurrency, rounds, roundTime, warmup, events, portkey, only);
    }

    /**
     * Runs the interleaved rounds.
     *
     * @param o what to run
     * @param log progress lines (one per round)
     * @return every round of every mode at every concurrency
     * @throws Exception when the stub, the gateway or Portkey cannot start
     */
    public static Report run(Options o, PrintStream log) throws Exception {
        List<Mode> modes = new ArrayList<>(List.of(Mode.DIRECT, Mode.RAW, Mode.EXECUTE, Mode.EXECUTE_ASYNC));
        if (o.portkeyStart() != null) {
            modes.add(Mode.PORTKEY);
        }
        modes.addAll(List.of(Mode.DIRECT_STREAM, Mode.RAW_STREAM, Mode.STREAM));
        if (o.portkeyStart() != null) {
            modes.add(Mode.PORTKEY_STREAM);
        }
        if (!o.only().isEmpty()) {
            modes.retainAll(o.only());
        }
        try (NettyStub stub = NettyStub.start(o.streamEvents());
                Http1Transport own = new Http1Transport();
                Portkey portkey = o.portkeyStart() == null ? null : Portkey.start(o.portkeyStart());
                Gateway gateway = Gateway.builder()
                        .config("{\"provider\":\"openai\",\"api_key\":\"" + KEY + "\",\"custom_host\":\""
                                + stub.openAiBaseUrl() + "\"}")
                        .build()) {
            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Calls calls = new Calls(client, own, gateway, stub, portkey, o.streamEvents(), log);
            Map<Integer, Map<Mode, List<Round>>> results = new LinkedHashMap<>();
            for (int c : o.concurrency()) {
                Map<Mode, List<Round>> cell = new EnumMap<>(Mode.class);
                modes.forEach(m -> cell.put(m, new ArrayList<>()));
                results.put(c, cell);
            }
            if (!o.warmup().isZero()) {
                for (int c : o.concurrency()) {
                    for (Mode m : modes) {
                        runOne(calls, m, c, o.warmup());
                    }
                }
            }
            for (int r = 0; r < o.rounds(); r++) {
                for (int c : o.concurrency()) {
                    for (int k = 0; k < modes.size(); k++) {
                        Mode m = modes.get((k + r) % modes.size()); // rotate: no mode always runs first
                        results.get(c).get(m).add(runOne(calls, m, c, o.roundTime()));
                    }
                }
                log.println("side-by-side: round " + (r + 1) + "/" + o.rounds() + " done");
            }
            return new Report(results, List.copyOf(modes));
        }
    }

    private static Round runOne(Calls calls, Mode mode, int concurrency, Duration time) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Recorder[] recorders = new Recorder[concurrency];
        for (int i = 0; i < concurrency; i++) {
            recorders[i] = new Recorder();
        }
        CountDownLatch done = new CountDownLatch(concurrency);
        long cpu0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        long deadline = start + time.toNanos();
        if (mode == Mode.EXECUTE_ASYNC) {
            for (Recorder rec : recorders) {
                calls.asyncLoop(rec, deadline, done);
            }
        } else {
            for (Recorder rec : recorders) {
                Thread t = new Thread(() -> {
                    try {
                        while (System.nanoTime() < deadline) {
                            long t0 = System.nanoTime();
                            long first;
                            try {
                                first = calls.call(mode, t0);
                            } catch (Exception e) {
                                rec.failed(e);
                                continue;
                            }
                            rec.record(System.nanoTime() - t0, first);
                        }
                    } finally {
                        done.countDown();
                    }
                });
                t.setDaemon(true);
                t.start();
            }
        }
        if (!done.await(time.toMillis() + 60_000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(mode.label() + " at " + concurrency + " callers did not finish");
        }
        long elapsed = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpu0;
        Recorder all = new Recorder();
        for (Recorder rec : recorders) {
            all.add(rec);
        }
        long n = all.count;
        if (all.errors > 0) {
            calls.log.println("side-by-side: " + mode.label() + " at " + concurrency + " callers: " + all.errors
                    + " failed call(s), the first: " + all.firstError);
        }
        return new Round(
                n,
                all.errors,
                elapsed / 1e9,
                all.percentile(all.latencies, all.count, 0.50) / 1e3,
                all.percentile(all.latencies, all.count, 0.99) / 1e3,
                all.firstCount == 0 ? -1 : all.percentile(all.firsts, all.firstCount, 0.50) / 1e3,
                n == 0 ? 0 : cpu / 1e3 / n);
    }

    /** Latencies of one caller (one thread, or one async chain: never two at once). */
    private static final class Recorder {
        long[] latencies = new long[1024];
        long[] firsts = new long[16];
        int count;
        int firstCount;
        long errors;

        @Nullable
        String firstError;

        void failed(@Nullable Throwable e) {
            errors++;
            if (firstError == null) {
                firstError = String.valueOf(e);
            }
        }

        void record(long latency, long first) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = latency;
            if (first >= 0) {
                if (firstCount == firsts.length) {
                    firsts = Arrays.copyOf(firsts, firstCount * 2);
                }
                firsts[firstCount++] = first;
            }
        }

        void add(Recorder o) {
            for (int i = 0; i < o.count; i++) {
                record(o.latencies[i], i < o.firstCount ? o.firsts[i] : -1);
            }
            errors += o.errors;
            if (firstError == null) {
                firstError = o.firstError;
            }
        }

        double percentile(long[] values, int n, double q) {
            if (n == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(values, n);
            Arrays.sort(sorted);
            return sorted[Math.min(n - 1, (int) Math.ceil(q * n) - 1 < 0 ? 0 : (int) Math.ceil(q * n) - 1)];
        }
    }

    /** The calls themselves: each builds its request and reads its whole answer, as an application does. */
    private static final class Calls {
        private final HttpClient client;
        private final Http1Transport own;
        private final Gateway gateway;
        private final URI direct;
        private final @Nullable URI portkey;
        private final String customHost;
        private final int streamEvents;
        private final PrintStream log;

        Calls(
                HttpClient client,
                Http1Transport own,
                Gateway gateway,
                NettyStub stub,
                @Nullable Portkey portkey,
                int streamEvents,
                PrintStream log) {
            this.log = log;
            this.client = client;
            this.own = own;
            this.gateway = gateway;
            this.direct = URI.create(stub.openAiBaseUrl() + "/chat/completions");
            this.portkey = portkey == null ? null : URI.create(portkey.baseUrl() + "/v1/chat/completions");
            this.customHost = stub.openAiBaseUrl();
            this.streamEvents = streamEvents;
        }

        /** Makes one call; returns the nanoseconds to the first chunk for streams, -1 otherwise. */
        long call(Mode mode, long t0) throws IOException, InterruptedException {
            switch (mode) {
                case DIRECT -> {
                    check(client.send(direct(direct, CHAT_BODY), HttpResponse.BodyHandlers.ofByteArray()));
                    return -1;
                }
                case PORTKEY -> {
                    check(client.send(viaPortkey(CHAT_BODY), HttpResponse.BodyHandlers.ofByteArray()));
                    return -1;
                }
                case RAW -> {
                    UpstreamResponse r = own.sendBlocking(raw(CHAT_BODY), false);
                    if (r.status() != 200 || r.readAll().join().length == 0) {
                        throw new IOException("status " + r.status());
                    }
                    return -1;
                }
                case RAW_STREAM -> {
                    UpstreamResponse r = own.sendBlocking(raw(STREAM_BODY), true);
                    if (r.status() != 200) {
                        throw new IOException("stream: status " + r.status());
                    }
                    return readSse(r.bodyStream(), t0);
                }
                case EXECUTE -> {
                    GatewayResponse r =
                            gateway.execute(GatewayRequest.chat(CHAT_BODY).build());
                    check(r);
                    return -1;
                }
                case DIRECT_STREAM -> {
                    return readSse(
                            client.send(direct(direct, STREAM_BODY), HttpResponse.BodyHandlers.ofInputStream()), t0);
                }
                case PORTKEY_STREAM -> {
                    return readSse(client.send(viaPortkey(STREAM_BODY), HttpResponse.BodyHandlers.ofInputStream()), t0);
                }
                case STREAM -> {
                    GatewayResponse r =
                            gateway.execute(GatewayRequest.chat(STREAM_BODY).build());
                    if (r.status() != 200 || !r.isStream()) {
                        throw new IOException("stream: status " + r.status());
                    }
                    long first = -1;
                    int n = 0;
                    try (EventStream s = r.stream()) {
                        for (ServerSentEvent e : s) {
                            if (first < 0) {
                                first = System.nanoTime() - t0;
                            }
                            if (e.data().length() > 0) {
                                n++;
                            }
                        }
                    }
                    if (n < streamEvents) {
                        throw new IOException("stream: " + n + " events, expected " + streamEvents);
                    }
                    return first;
                }
                default -> throw new IllegalArgumentException("not a blocking mode: " + mode);
            }
        }

        /** One caller of the closed loop: the next call starts when the last one completed. */
        void asyncLoop(Recorder rec, long deadline, CountDownLatch done) {
            while (System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                CompletableFuture<GatewayResponse> f;
                try {
                    f = gateway.executeAsync(GatewayRequest.chat(CHAT_BODY).build());
                } catch (RuntimeException e) {
                    rec.failed(e);
                    continue;
                }
                if (!f.isDone()) {
                    f.whenComplete((r, err) -> {
                        completed(rec, t0, r, err);
                        asyncLoop(rec, deadline, done);
                    });
                    return;
                }
                // already complete: loop here rather than nest a callback per call
                GatewayResponse r = null;
                Throwable err = null;
                try {
                    r = f.join();
                } catch (RuntimeException e) {
                    err = e;
                }
                completed(rec, t0, r, err);
            }
            done.countDown();
        }

        private static void completed(Recorder rec, long t0, @Nullable GatewayResponse r, @Nullable Throwable err) {
            try {
                if (err != null || r == null) {
                    rec.failed(err);
                } else {
                    check(r);
                    rec.record(System.nanoTime() - t0, -1);
                }
            } catch (IOException e) {
                rec.failed(e);
            }
        }

        private UpstreamRequest raw(String body) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("content-type", "application/json");
            headers.put("authorization", "Bearer " + KEY);
            return new UpstreamRequest("POST", direct, headers, body.getBytes(StandardCharsets.UTF_8));
        }

        private HttpRequest direct(URI uri, String body) {
            return HttpRequest.newBuilder(uri)
                    .header("content-type", "application/json")
                    .header("authorization", "Bearer " + KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        }

        private HttpRequest viaPortkey(String body) {
            if (portkey == null) {
                throw new IllegalStateException("Portkey is not running");
            }
            return HttpRequest.newBuilder(portkey)
                    .header("content-type", "application/json")
                    .header("authorization", "Bearer " + KEY)
                    .header("x-portkey-provider", "openai")
                    .header("x-portkey-custom-host", customHost)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        }

        private static void check(HttpResponse<byte[]> r) throws IOException {
            if (r.statusCode() != 200 || r.body().length == 0) {
                throw new IOException("status " + r.statusCode());
            }
        }

        private static void check(GatewayResponse r) throws IOException {
            if (r.status() != 200 || r.bytes().length == 0) { // bytes(): the answer serialised, as a server would
                throw new IOException("status " + r.status());
            }
        }

        private long readSse(HttpResponse<InputStream> r, long t0) throws IOException {
            if (r.statusCode() != 200) {
                r.body().close();
                throw new IOException("stream: status " + r.statusCode());
            }
            return readSse(r.body(), t0);
        }

        private long readSse(InputStream body, long t0) throws IOException {
            try (InputStream in = body;
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                long first = -1;
                int n = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("data:")) {
                        if (first < 0) {
                            first = System.nanoTime() - t0;
                        }
                        if (!line.contains("[DONE]")) {
                            n++; // read on to the end: leaving early spoils the keep-alive connection
                        }
                    }
                }
                if (n < streamEvents) {
                    throw new IOException("stream: " + n + " events, expected " + streamEvents);
                }
                return first;
            }
        }
    }

    /** Portkey started by its script ({@code start.sh PORT} prints the pid) and stopped on close. */
    private static final class Portkey implements AutoCloseable {
        private final int port;
        private final long pid;

        private Portkey(int port, long pid) {
            this.port = port;
            this.pid = pid;
        }

        static Portkey start(Path script) throws IOException, InterruptedException {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process p = new ProcessBuilder("bash", script.toString(), String.valueOf(port))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0 || !out.matches("\\d+")) {
                throw new IOException(
                        "Portkey did not start: " + script + " printed \"" + out + "\", expected its pid");
            }
            return new Portkey(port, Long.parseLong(out));
        }

        String baseUrl() {
            return "http://127.0.0.1:" + port;
        }

        @Override
        public void close() {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }
}
