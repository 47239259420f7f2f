package dev.switchboard.providers.google;

import dev.switchboard.spi.Transport;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.UpstreamResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A minimal {@link Transport} over the JDK {@code HttpClient}, for tests that talk to a local server. */
final class JdkTestTransport implements Transport {
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public CompletableFuture<UpstreamResponse> send(UpstreamRequest request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri())
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(b::header);
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofPublisher())
                .thenApply(r -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    r.headers().map().forEach((k, v) -> headers.put(k, String.join(",", v)));
                    return new UpstreamResponse(r.statusCode(), headers, r.body());
                });
    }
}
