package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import dev.switchboard.spi.UpstreamRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code default.validUrls} (after-request): finds the http(s) URLs in the answer and checks each
 * one — by a HEAD request through the gateway transport (any status below 400 counts: redirects are
 * not followed, a redirect proves the host answers), or with {@code onlyDNS: true} by resolving its
 * host. Passes when all are valid ({@code not} inverts: passes when some is invalid). No URL → fail.
 * {@code timeout} (3000 ms) bounds each HEAD request.
 *
 * <pre>{@code {"id": "default.validUrls", "parameters": {"onlyDNS": true}}}</pre>
 */
public final class ValidUrlsCheck implements GuardrailCheck {
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"'`()\\[\\]{}]+", Pattern.CASE_INSENSITIVE);
    /** Names the HEAD calls in errors. */
    private static final String URL_CHECK = "URL check";
    private final Function<String, Boolean> resolver;

    /** Resolves hosts with {@link InetAddress#getAllByName}. */
    public ValidUrlsCheck() {
        this(ValidUrlsCheck::resolves);
    }

    /** Uses {@code resolver} (host → resolvable) for {@code onlyDNS}; it is called off the caller's thread. */
    public ValidUrlsCheck(Function<String, Boolean> resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    @Override
    public String id() {
        return "default.validUrls";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.AFTER_REQUEST);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) throws Exception {
        return HttpCalls.await(checkAsync(context, parameters));
    }

    /** The prepared parameters. */
    private record Settings(boolean onlyDns, boolean not, long timeout) {}

    /** Reads {@code onlyDNS}, {@code not} and {@code timeout} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        Settings settings = read(parameters);
        return PreparedCheck.async(context -> evaluate(context, settings));
    }

    @Override
    public CompletionStage<CheckOutcome> checkAsync(CheckContext context, ObjectNode parameters) {
        Settings settings;
        try {
            settings = read(parameters);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return evaluate(context, settings);
    }

    private Settings read(ObjectNode parameters) {
        ParameterReader p = new ParameterReader(id(), parameters, "onlyDNS", "not", "timeout");
        boolean onlyDns = p.bool("onlyDNS", false);
        boolean not = p.bool("not", false);
        long timeout = HttpCalls.timeoutMs(p);
        p.throwIfInvalid();
        return new Settings(onlyDns, not, timeout);
    }

    private CompletionStage<CheckOutcome> evaluate(CheckContext context, Settings settings) {
        boolean onlyDns = settings.onlyDns();
        boolean not = settings.not();
        long timeout = settings.timeout();
        if (!onlyDns && context.transport() == null) {
            return CompletableFuture.failedFuture(HttpCalls.noTransport(URL_CHECK));
        }
        List<String> urls = urls(context.text());
        if (urls.isEmpty()) {
            ObjectNode data = Explanations.of("No URLs found in the text.");
            data.put("not", not);
            return CompletableFuture.completedFuture(CheckOutcome.fail(data));
        }
        Map<String, CompletableFuture<Boolean>> checks = new LinkedHashMap<>();
        for (String url : urls) {
            checks.put(url, onlyDns ? resolvable(url) : reachable(context, url, timeout));
        }
        return CompletableFuture.allOf(checks.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<String> valid = new ArrayList<>();
            List<String> invalid = new ArrayList<>();
            checks.forEach((url, ok) -> (ok.join() ? valid : invalid).add(url));
            boolean allValid = invalid.isEmpty();
            ObjectNode data = Explanations.of(allValid
                    ? "All " + valid.size() + " URL(s) are valid" + (onlyDns ? " (DNS)." : ".")
                    : invalid.size() + " of " + urls.size() + " URL(s) are invalid" + (onlyDns ? " (DNS)." : "."));
            valid.forEach(data.putArray("validUrls")::add);
            invalid.forEach(data.putArray("invalidUrls")::add);
            data.put("onlyDNS", onlyDns);
            data.put("not", not);
            return CheckOutcome.of(Explanations.verdict(allValid, not), data);
        });
    }

    static List<String> urls(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = URL.matcher(text);
        while (m.find()) {
            String u = m.group();
            // sentence punctuation right after a URL is not part of it
            while (!u.isEmpty() && ".,;:!?".indexOf(u.charAt(u.length() - 1)) >= 0) {
                u = u.substring(0, u.length() - 1);
            }
            out.add(u);
        }
        return new ArrayList<>(out);
    }

    private CompletableFuture<Boolean> resolvable(String url) {
        String host = host(url);
        if (host == null) {
            return CompletableFuture.completedFuture(false);
        }
        // name resolution blocks, so it runs on the common pool, never on the caller's thread
        return CompletableFuture.supplyAsync(() -> Boolean.TRUE.equals(resolver.apply(host)))
                .exceptionally(e -> false);
    }

    private static CompletableFuture<Boolean> reachable(CheckContext context, String url, long timeout) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(false);
        }
        return HttpCalls.send(context.transport(), new UpstreamRequest("HEAD", uri, Map.of(), null), timeout, URL_CHECK)
                .handle((reply, error) -> error == null && reply.status() < 400);
    }

    private static String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean resolves(String host) {
        try {
            return InetAddress.getAllByName(host).length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
