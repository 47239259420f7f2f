package dev.switchboard.guardrails;

import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A test {@link Transport} on the JDK {@code HttpClient}, counting the requests it sends. */
final class JdkTransport implements Transport {
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private final HttpClient client = HttpClient.newHttpClient();
    final java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public CompletableFuture<UpstreamResponse> send(UpstreamRequest request) {
        sent.incrementAndGet();
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri())
                .method(
                        request.method(),
                        request.body().length == 0 && !request.method().equals("POST")
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((k, v) -> {
            if (!RESTRICTED.contains(k.toLowerCase())) {
                b.header(k, v);
            }
        });
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofPublisher())
                .thenApply(r -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    r.headers().map().forEach((k, v) -> headers.put(k, String.join(",", v)));
                    return new UpstreamResponse(r.statusCode(), headers, r.body());
                });
    }
}
