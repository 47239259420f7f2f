package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code default.validUrls} (after-request): finds the http(s) URLs in the answer as Portkey does
 * ({@code https?://} up to whitespace, a comma, a quote, a brace or a bracket; sentence punctuation
 * stays part of the URL) and checks each one — by a HEAD request through the gateway transport that
 * must end in a 2xx answer after following up to 20 redirects (fetch's {@code response.ok}), or with
 * {@code onlyDNS: true} by resolving its host (with the JVM's resolver; Portkey asks Cloudflare's
 * DNS over HTTPS). Passes when all are valid ({@code not} inverts). No URL fails whatever {@code not}
 * says; an empty text is an error. {@code timeout} (3000 ms) bounds each HEAD request.
 *
 * <p><b>No requests to private addresses</b> (unlike Portkey): the URLs come from a model's answer,
 * so before each HEAD request — the first and every redirect hop — the host is resolved and the URL
 * counts as invalid, without being requested, when any of its addresses is loopback ({@code 127/8},
 * {@code ::1}, {@code localhost} names), unspecified, link-local ({@code 169.254/16} with the cloud
 * metadata endpoint {@code 169.254.169.254}, {@code fe80::/10}), private ({@code 10/8},
 * {@code 172.16/12}, {@code 192.168/16}, {@code fc00::/7} with {@code fd00:ec2::254}), shared
 * ({@code 100.64/10}), reserved, multicast, or an IPv6 form of one of these (mapped, NAT64, 6to4); a
 * host that does not resolve is invalid too. Such URLs are listed under {@code blockedUrls}.
 * {@code allowPrivateAddresses: true} turns the filter off (a gateway inside a private network that
 * checks its own links). The transport resolves the name again when it connects, so a DNS server that
 * answers differently the second time (rebinding) is not covered; use {@code onlyDNS}, or an egress
 * proxy, where that matters. {@code onlyDNS} sends nothing and is not filtered.
 *
 * <pre>{@code {"id": "default.validUrls", "parameters": {"onlyDNS": true}}}</pre>
 */
public final class ValidUrlsCheck implements GuardrailCheck {
    /** Portkey's {@code /https?:\/\/[^\s,"'{}\[\]]+/g}, with JavaScript's whitespace. */
    private static final Pattern URL = Pattern.compile("https?://[^" + JsText.WHITESPACE_CLASS_BODY + ",\"'{}\\[\\]]+");
    /** Redirects followed before a URL counts as invalid (fetch's limit). */
    private static final int MAX_REDIRECTS = 20;
    /** Names the HEAD calls in errors. */
    private static final String URL_CHECK = "URL check";

    private final Function<String, Boolean> resolver;
    /** Host → its addresses, for the private-address filter; throws {@link UnknownHostException}. */
    private final AddressResolver addresses;

    /** Resolves hosts with {@link InetAddress#getAllByName}. */
    public ValidUrlsCheck() {
        this(ValidUrlsCheck::resolves);
    }

    /** Resolves a host name (or IP literal) to its addresses. */
    @FunctionalInterface
    interface AddressResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** {@code resolver} for {@code onlyDNS}, {@code addresses} for the private-address filter (tests). */
    ValidUrlsCheck(Function<String, Boolean> resolver, AddressResolver addresses) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
    }

    /**
     * Uses {@code resolver} for {@code onlyDNS}; it is called off the caller's thread.
     *
     * @param resolver host → whether it resolves
     */
    public ValidUrlsCheck(Function<String, Boolean> resolver) {
        this(resolver, InetAddress::getAllByName);
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
    private record Settings(boolean onlyDns, boolean not, long timeout, boolean allowPrivate) {}

    /** Reads {@code onlyDNS}, {@code not}, {@code timeout} and {@code allowPrivateAddresses} once. */
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
        ParameterReader p = new ParameterReader(id(), parameters, "onlyDNS", "not", "timeout", "allowPrivateAddresses");
        boolean onlyDns = p.bool("onlyDNS", false);
        boolean not = p.bool("not", false);
        long timeout = HttpCalls.timeoutMs(p);
        boolean allowPrivate = p.bool("allowPrivateAddresses", false);
        p.throwIfInvalid();
        return new Settings(onlyDns, not, timeout, allowPrivate);
    }

    private CompletionStage<CheckOutcome> evaluate(CheckContext context, Settings settings) {
        boolean onlyDns = settings.onlyDns();
        boolean not = settings.not();
        long timeout = settings.timeout();
        if (!onlyDns && context.transport() == null) {
            return CompletableFuture.failedFuture(HttpCalls.noTransport(URL_CHECK));
        }
        String text;
        try {
            text = PortkeyText.text(context);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (text.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Missing text to analyze"));
        }
        List<String> urls = urls(text);
        if (urls.isEmpty()) {
            ObjectNode data = Explanations.of("No URLs found in the text.");
            data.putArray("urls");
            data.put("validationMethod", onlyDns ? "DNS lookup" : "HTTP request");
            data.put("not", not);
            data.put("textExcerpt", JsText.excerpt(text));
            return CompletableFuture.completedFuture(CheckOutcome.fail(data));
        }
        List<CompletableFuture<Boolean>> checks = new ArrayList<>();
        Set<String> blocked = ConcurrentHashMap.newKeySet();
        for (String url : urls) {
            checks.add(
                    onlyDns
                            ? resolvable(url)
                            : reachable(context, url, url, timeout, MAX_REDIRECTS, settings.allowPrivate(), blocked));
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<String> valid = new ArrayList<>();
            List<String> invalid = new ArrayList<>();
            for (int i = 0; i < urls.size(); i++) {
                (checks.get(i).join() ? valid : invalid).add(urls.get(i));
            }
            boolean allValid = invalid.isEmpty();
            boolean verdict = allValid != not;
            ObjectNode data = Json.object();
            data.put("verdict", verdict);
            data.put("not", not);
            data.put(
                    "explanation",
                    verdict
                            ? not
                                    ? "All URLs are invalid as expected (" + invalid.size() + " of " + urls.size()
                                            + ")."
                                    : "All URLs are valid (" + valid.size() + " found)."
                            : not
                                    ? "Some URLs are valid when they should all be invalid (" + valid.size() + " of "
                                            + urls.size() + ")."
                                    : "Some URLs are invalid (" + invalid.size() + " of " + urls.size() + " failed).");
            valid.forEach(data.putArray("validUrls")::add);
            invalid.forEach(data.putArray("invalidUrls")::add);
            if (!blocked.isEmpty()) {
                urls.stream().filter(blocked::contains).distinct().forEach(data.putArray("blockedUrls")::add);
            }
            data.put("validationMethod", onlyDns ? "DNS lookup" : "HTTP request");
            data.put("textExcerpt", JsText.excerpt(text));
            return CheckOutcome.of(verdict, data);
        });
    }

    /** The URLs as Portkey finds them: every match, duplicates and trailing punctuation included. */
    static List<String> urls(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = URL.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
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

    /**
     * A HEAD request answered 2xx, after following up to {@code redirects} redirects (as fetch does);
     * unless {@code allowPrivate}, each hop's host is resolved first and a private address ends the
     * check as invalid (adding {@code original} to {@code blocked}) without a request.
     */
    private CompletableFuture<Boolean> reachable(
            CheckContext context,
            String original,
            String url,
            long timeout,
            int redirects,
            boolean allowPrivate,
            Set<String> blocked) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(false);
        }
        if (allowPrivate) {
            return head(context, original, uri, timeout, redirects, true, blocked);
        }
        String host = uri.getHost();
        if (host == null) {
            return CompletableFuture.completedFuture(false);
        }
        // name resolution blocks, so it runs on the common pool, never on the caller's thread
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        for (InetAddress a : addresses.resolve(host)) {
                            if (PrivateAddresses.isPrivate(a)) {
                                return Boolean.FALSE;
                            }
                        }
                        return Boolean.TRUE;
                    } catch (UnknownHostException | RuntimeException e) {
                        return null; // does not resolve: invalid, but not "blocked"
                    }
                })
                .thenCompose(publicHost -> {
                    if (publicHost == null) {
                        return CompletableFuture.completedFuture(false);
                    }
                    if (!publicHost) {
                        blocked.add(original);
                        return CompletableFuture.completedFuture(false);
                    }
                    return head(context, original, uri, timeout, redirects, false, blocked);
                });
    }

    private CompletableFuture<Boolean> head(
            CheckContext context,
            String original,
            URI uri,
            long timeout,
            int redirects,
            boolean allowPrivate,
            Set<String> blocked) {
        UpstreamRequest head = new UpstreamRequest("HEAD", uri, Map.of("user-agent", "URLValidator/1.0"), null);
        return HttpCalls.send(context.transport(), head, timeout, URL_CHECK)
                .handle((reply, error) -> {
                    if (error != null) {
                        return CompletableFuture.completedFuture(false);
                    }
                    int status = reply.status();
                    String location = reply.header("location").orElse(null);
                    if (status >= 300 && status < 400 && status != 304 && location != null && redirects > 0) {
                        String next;
                        try {
                            next = uri.resolve(location).toString();
                        } catch (IllegalArgumentException e) {
                            return CompletableFuture.completedFuture(false);
                        }
                        return reachable(context, original, next, timeout, redirects - 1, allowPrivate, blocked);
                    }
                    return CompletableFuture.completedFuture(status >= 200 && status < 300);
                })
                .thenCompose(f -> f);
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
