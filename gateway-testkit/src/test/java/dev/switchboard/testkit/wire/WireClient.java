package dev.switchboard.testkit.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.spi.support.SseDecoder;
import dev.switchboard.testkit.StubUpstream;
import dev.switchboard.testkit.schema.OpenAiSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Fetches what a stub answers over real HTTP, decodes SSE, and checks payloads against the providers' own specs. */
final class WireClient {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final Map<String, OpenAiSchemas> SPECS = new ConcurrentHashMap<>();

    private WireClient() {}

    static HttpResponse<byte[]> post(StubUpstream stub, String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(stub.baseUrl() + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        return CLIENT.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    static List<ServerSentEvent> events(byte[] body) {
        List<ServerSentEvent> out = new ArrayList<>();
        SseDecoder decoder = new SseDecoder();
        decoder.feed(body, out::add);
        decoder.finish(out::add);
        return out;
    }

    static List<String> names(List<ServerSentEvent> events) {
        List<String> names = new ArrayList<>();
        events.forEach(e -> names.add(e.event()));
        return names;
    }

    /**
     * A provider's API description from this module's test resources under {@code provider-specs/}
     * (e.g. {@code anthropic/openapi.json}; see NOTICE for each file's origin), loaded once;
     * {@link OpenAiSchemas} reads any OpenAPI document's component schemas.
     */
    static OpenAiSchemas spec(String relative) {
        return SPECS.computeIfAbsent(relative, r -> {
            String resource = "/provider-specs/" + r;
            InputStream in = WireClient.class.getResourceAsStream(resource);
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " not found on the classpath "
                        + "(expected in gateway-testkit/src/test/resources" + resource + ")");
            }
            try (in) {
                return OpenAiSchemas.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read test resource " + resource, e);
            }
        });
    }

    static void assertValid(String spec, String schema, JsonNode instance) {
        List<String> problems = spec(spec).validate(schema, instance);
        assertTrue(problems.isEmpty(), schema + " in " + spec + ": " + problems + "\n" + instance);
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        return Json.parse(r.body());
    }
}
