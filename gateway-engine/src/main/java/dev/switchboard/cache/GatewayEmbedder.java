package dev.switchboard.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.Json;
import dev.switchboard.spi.Embedder;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * An {@link Embedder} that asks a gateway's embeddings endpoint: the semantic cache's embeddings
 * then get the same routing, retries, keys and accounting as any other call.
 *
 * <pre>{@code
 * Gateway embeddings = Gateway.fromConfig("{\"provider\":\"openai\",\"api_key\":\"sk-...\"}");
 * Gateway gateway = Gateway.builder()
 *         .config("{\"cache\":{\"mode\":\"semantic\"},\"provider\":\"openai\",\"api_key\":\"sk-...\"}")
 *         .embedder(new GatewayEmbedder(embeddings, "text-embedding-3-small"))
 *         .build();
 * }</pre>
 */
public final class GatewayEmbedder implements Embedder {
    private final Gateway gateway;
    private final String model;

    /**
     * An embedder calling {@code /v1/embeddings} through a gateway.
     *
     * @param gateway the gateway that routes the embeddings calls (usually not the one being cached)
     * @param model   the embeddings model, e.g. {@code text-embedding-3-small}
     */
    public GatewayEmbedder(Gateway gateway, String model) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public CompletionStage<float[]> embed(String text) {
        ObjectNode body = Json.object();
        body.put("model", model);
        body.put("input", text);
        return gateway.executeAsync(GatewayRequest.embeddings(body).build()).thenApply(r -> {
            if (!r.isSuccess()) {
                String msg = r.json().path("error").path("message").asText("no message");
                throw new CompletionException(new IllegalStateException(
                        "embeddings call for the semantic cache failed with HTTP " + r.status() + ": " + msg));
            }
            JsonNode vector = r.json().path("data").path(0).path("embedding");
            if (!vector.isArray() || vector.isEmpty()) {
                throw new CompletionException(new IllegalStateException(
                        "embeddings answer for the semantic cache has no data[0].embedding array"));
            }
            float[] v = new float[vector.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) vector.get(i).asDouble();
            }
            return v;
        });
    }

    @Override
    public String toString() {
        return "GatewayEmbedder[" + model + " via " + gateway + "]";
    }
}
