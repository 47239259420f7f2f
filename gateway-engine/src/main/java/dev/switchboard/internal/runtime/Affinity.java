package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.internal.config.ConfigNode;
import dev.switchboard.internal.config.StrategyNode;
import dev.switchboard.internal.config.TargetNode;
import dev.switchboard.spi.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Stateful objects stay where they were made. When a call creates an object at a provider ({@code
 * file-…}, {@code batch_…}, {@code ftjob-…}, {@code vs_…}, {@code resp_…}, {@code asst_…}, …), the
 * gateway records which target made it — as a fingerprint of the target's provider and connection
 * fields (credentials, host, account), never the fields themselves — in the {@link StateStore}, so
 * every JVM sharing the store (Redis) agrees. A later call that names the id in its path or in a
 * body field ({@code input_file_id}, {@code training_file}, {@code previous_response_id}, …) goes to
 * the target of the current config with that fingerprint, whatever a load balancer or condition
 * would pick. An id the gateway never saw, or whose target the current config no longer has,
 * follows the config as usual.
 */
final class Affinity {
    /** OpenAI's object id shapes: a known prefix, then {@code -} or {@code _}, then the id proper. */
    static final Pattern ID = Pattern.compile(
            "^(file|batch|ftjob|ftckpt|ftevent|vs|vsfb|resp|asst|thread|run|step|msg|upload|part|cntr|cfile|conv"
                    + "|eval|evalrun|video|chatcmpl)[-_][A-Za-z0-9][A-Za-z0-9_-]{2,}$");

    /** Body fields that name an existing object, checked in this order. */
    private static final List<String> ID_FIELDS = List.of(
            "input_file_id",
            "file_id",
            "training_file",
            "validation_file",
            "previous_response_id",
            "assistant_id",
            "thread_id",
            "vector_store_id",
            "vector_store_ids",
            "file_ids",
            "conversation");

    /** Option fields that are not where the target is (how a call is shaped, not to whom it goes). */
    private static final List<String> NOT_IDENTITY = List.of("override_params", "weight", "name", "forward_headers");

    static final String KEY_PREFIX = "affinity:";

    /** How long a made object's target is remembered by default: OpenAI keeps files until deleted. */
    static final Duration DEFAULT_TTL = Duration.ofDays(30);

    private final StateStore store;
    private final Duration ttl;

    Affinity(StateStore store, Duration ttl) {
        this.store = store;
        this.ttl = ttl;
    }

    /** Whether affinity is on: a store that keeps values and a positive time to live. */
    boolean enabled() {
        return store != null && !ttl.isZero() && !ttl.isNegative();
    }

    /** The first object id a request names (path segments first, then body fields), if any. */
    static Optional<String> referencedId(GatewayRequest request) {
        String path = request.path();
        // last segment first; only a segment with '-' or '_' can be an id (no split, no regex for the rest)
        int end = path.length();
        while (end > 0) {
            int start = path.lastIndexOf('/', end - 1) + 1;
            if (hasSeparator(path, start, end)) {
                String segment = path.substring(start, end);
                if (ID.matcher(segment).matches()) {
                    return Optional.of(segment);
                }
            }
            end = start - 1;
        }
        ObjectNode body = request.paramsView();
        if (body == null) {
            return Optional.empty();
        }
        for (String f : ID_FIELDS) {
            JsonNode v = body.get(f);
            if (v != null && v.isArray() && !v.isEmpty()) {
                v = v.get(0);
            }
            if (v != null && v.isObject()) {
                v = v.get("id"); // "conversation": {"id": "conv_…"}
            }
            if (v != null && v.isTextual() && ID.matcher(v.asText()).matches()) {
                return Optional.of(v.asText());
            }
        }
        return Optional.empty();
    }

    private static boolean hasSeparator(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '-' || c == '_') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a successful {@code request} to {@code endpoint} can have made an object a later call
     * names: a chat completion only when stored ({@code "store": true}, retrievable by its {@code
     * chatcmpl-} id), a response unless {@code "store": false}, embeddings and moderations never;
     * anything else (files, batches, fine-tuning jobs, vector stores, …) always. Recording every chat
     * completion would keep one entry per call in the state store for the affinity's whole time to live.
     */
    static boolean mayCreate(GatewayRequest request, dev.switchboard.api.Endpoint endpoint) {
        return switch (endpoint) {
            case CHAT_COMPLETIONS -> storeField(request, false);
            case RESPONSES -> storeField(request, true);
            case EMBEDDINGS, MODERATIONS, COMPLETIONS, MODELS -> false;
            default -> true;
        };
    }

    private static boolean storeField(GatewayRequest request, boolean absent) {
        ObjectNode body = request.paramsView();
        JsonNode store = body == null ? null : body.get("store");
        return store == null || store.isNull() ? absent : store.asBoolean(absent);
    }

    /** The target of {@code root} that made {@code id}, when the gateway recorded one and the config still has it. */
    Optional<TargetNode> targetFor(String id, ConfigNode root) {
        if (!enabled()) {
            return Optional.empty();
        }
        Optional<String> fp = store.getValue(KEY_PREFIX + id);
        if (fp.isEmpty()) {
            return Optional.empty();
        }
        return find(root, fp.get());
    }

    private static Optional<TargetNode> find(ConfigNode node, String fingerprint) {
        if (node instanceof TargetNode t) {
            return fingerprint(t).equals(fingerprint) ? Optional.of(t) : Optional.empty();
        }
        for (ConfigNode child : ((StrategyNode) node).targets()) {
            Optional<TargetNode> found = find(child, fingerprint);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * Records the target that answered a creating call: when {@code answer} is an object whose
     * {@code id} has an object id's shape. Returns the id recorded, or null.
     */
    String record(TargetNode target, JsonNode answer) {
        if (!enabled() || answer == null || !answer.path("id").isTextual()) {
            return null;
        }
        String id = answer.get("id").asText();
        if (!ID.matcher(id).matches()) {
            return null;
        }
        return store.putValue(KEY_PREFIX + id, fingerprint(target), ttl) ? id : null;
    }

    /**
     * Where a target sends its calls, as a SHA-256 over its provider, virtual key and connection
     * fields in name order: the same for the same target in any config or JVM, and no secret in it.
     */
    static String fingerprint(TargetNode t) {
        Map<String, String> fields = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : t.options().properties()) {
            if (!NOT_IDENTITY.contains(e.getKey())) {
                fields.put(
                        e.getKey(),
                        e.getValue().isTextual()
                                ? e.getValue().asText()
                                : e.getValue().toString());
            }
        }
        StringBuilder sb = new StringBuilder(t.provider()).append('\n').append(t.virtualKey());
        fields.forEach((k, v) -> sb.append('\n').append(k).append('=').append(v));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
