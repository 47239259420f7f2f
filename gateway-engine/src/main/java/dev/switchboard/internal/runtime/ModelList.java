package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.Json;
import dev.switchboard.internal.config.ConfigNode;
import dev.switchboard.internal.config.StrategyNode;
import dev.switchboard.internal.config.TargetNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{model}}, answered by the gateway from the
 * config's targets in OpenAI's shape ({@code {"object":"list","data":[{"id","object":"model",
 * "created","owned_by"}]}}):
 * <ul>
 *   <li>a target that names a model ({@code override_params.model}) lists that model;</li>
 *   <li>a target that names none serves whatever model the caller asks for: it lists the models the
 *       pricing catalog knows for its provider (none for a provider the catalog does not price);</li>
 *   <li>a target with {@code "list_models": "upstream"} also asks its provider's own list (an attempt
 *       in the trace like any other); its entries are merged in and win over the gateway's for the
 *       same id (real {@code created} and {@code owned_by}); a failure leaves the gateway's list.</li>
 * </ul>
 * The gateway's own entries have {@code owned_by} set to the provider id and {@code created} 0 (the
 * gateway does not know when a provider published a model). Ids are listed once, in config order.
 * An id no target lists is a 404 in OpenAI's envelope ({@code model_not_found}).
 */
final class ModelList {
    private static final Pattern ONE_MODEL = Pattern.compile("^/v1/models/([^/]+)/?$");

    private final Function<String, List<String>> catalogModels;

    ModelList(Function<String, List<String>> catalogModels) {
        this.catalogModels = catalogModels;
    }

    /** Whether the gateway answers {@code request} itself: a {@code GET} of the model list or of one model. */
    static boolean answers(GatewayRequest request) {
        if (!"GET".equals(request.method())) {
            return false;
        }
        String path = request.path();
        return path.equals("/v1/models")
                || path.equals("/v1/models/")
                || ONE_MODEL.matcher(path).matches();
    }

    /**
     * The answer.
     *
     * @param root     the config's root
     * @param request  the request
     * @param upstream runs a target's own {@code GET /v1/models} as a leaf call
     */
    CompletableFuture<LeafResult> answer(
            ConfigNode root, GatewayRequest request, Function<TargetNode, CompletableFuture<LeafResult>> upstream) {
        List<TargetNode> leaves = new ArrayList<>();
        collect(root, leaves);
        Map<String, ObjectNode> models = new LinkedHashMap<>();
        List<CompletableFuture<LeafResult>> asked = new ArrayList<>();
        for (TargetNode t : leaves) {
            JsonNode named = t.settings().overrideParams().get("model");
            if (named != null && named.isTextual()) {
                models.putIfAbsent(named.asText(), entry(named.asText(), t.provider()));
            } else {
                for (String m : catalogModels.apply(t.provider())) {
                    models.putIfAbsent(m, entry(m, t.provider()));
                }
            }
            if ("upstream".equals(t.options().path("list_models").asText(null))) {
                asked.add(upstream.apply(t));
            }
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(v -> {
            for (CompletableFuture<LeafResult> f : asked) {
                LeafResult r = f.join();
                if (r.isSuccess() && r.body() != null) {
                    for (JsonNode m : r.body().path("data")) {
                        if (m.isObject() && m.path("id").isTextual()) {
                            models.put(m.path("id").asText(), (ObjectNode) m);
                        }
                    }
                }
            }
            return respond(request, models);
        });
    }

    private static LeafResult respond(GatewayRequest request, Map<String, ObjectNode> models) {
        Matcher one = ONE_MODEL.matcher(request.path());
        if (one.matches()) {
            String id = URLDecoder.decode(one.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
            ObjectNode m = models.get(id);
            if (m == null) {
                String msg = "The model '" + id + "' does not exist or is not served by this gateway's config (GET"
                        + " /v1/models lists the " + models.size() + " that are)";
                return LeafResult.builder(404)
                        .body(ErrorBody.of(msg, "invalid_request_error", "model", "model_not_found"))
                        .failure(dev.switchboard.internal.failure.Failure.of(
                                dev.switchboard.internal.failure.FailureKind.INVALID_REQUEST, msg))
                        .build();
            }
            return LeafResult.builder(200).body(m).build();
        }
        ObjectNode list = Json.object();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        models.values().forEach(data::add);
        return LeafResult.builder(200).body(list).build();
    }

    private static ObjectNode entry(String id, String provider) {
        ObjectNode m = Json.object();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", 0);
        m.put("owned_by", provider);
        return m;
    }

    private static void collect(ConfigNode node, List<TargetNode> out) {
        if (node instanceof TargetNode t) {
            out.add(t);
        } else if (node instanceof StrategyNode s) {
            for (ConfigNode c : s.targets()) {
                collect(c, out);
            }
        }
    }
}
