package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.ProviderCall;

/**
 * Copy-on-write access to a call's OpenAI body: adapters read {@link #current()} and ask for
 * {@link #edit()} only when a quirk applies, so a request that needs no rewrite is never copied.
 * Every change is recorded on the call for the trace.
 *
 * <pre>{@code
 * BodyEditor body = new BodyEditor(call);
 * body.rename("max_completion_tokens", "max_tokens", "groq reads max_tokens");
 * body.drop("logit_bias", "not supported by groq");
 * byte[] bytes = Json.bytes(body.current());
 * }</pre>
 */
public final class BodyEditor {
    private final ProviderCall call;
    private ObjectNode body;
    private boolean copied;

    public BodyEditor(ProviderCall call) {
        this.call = call;
        this.body = call.body();
    }

    /** The body as it stands: the caller's object when nothing was changed. */
    public ObjectNode current() {
        return body;
    }

    /** A private copy of the body to change (made on first use). */
    public ObjectNode edit() {
        if (!copied) {
            body = body.deepCopy();
            copied = true;
        }
        return body;
    }

    public boolean changed() {
        return copied;
    }

    public ProviderCall call() {
        return call;
    }

    /** Removes a top-level field when present (non-null) and records why. */
    public void drop(String field, String why) {
        JsonNode v = body.get(field);
        if (v != null) {
            edit().remove(field);
            if (!v.isNull()) {
                call.dropped(field, why);
            }
        }
    }

    /** Moves {@code from} to {@code to} unless {@code to} is already set (then {@code from} is dropped). */
    public void rename(String from, String to, String why) {
        JsonNode v = body.get(from);
        if (v == null) {
            return;
        }
        ObjectNode b = edit();
        b.remove(from);
        if (v.isNull()) {
            return;
        }
        if (b.has(to) && !b.get(to).isNull()) {
            call.dropped(from, to + " is also set and wins (" + why + ")");
        } else {
            b.set(to, v);
            call.note("renamed " + from + " to " + to + ": " + why);
        }
    }

    /** Clamps a numeric field into [min, max], recording a clamp. */
    public void clamp(String field, double min, double max, String why) {
        JsonNode v = body.get(field);
        if (v == null || !v.isNumber()) {
            return;
        }
        double d = v.asDouble();
        double c = Math.max(min, Math.min(max, d));
        if (c != d) {
            edit().put(field, c);
            call.note("clamped " + field + " from " + v.asText() + " to " + c + ": " + why);
        }
    }

    /** Rewrites {@code developer} messages to {@code system} for providers that reject the newer role name. */
    public void developerToSystem(String providerId) {
        JsonNode messages = body.path("messages");
        boolean rewrote = false;
        for (int i = 0; i < messages.size(); i++) {
            if ("developer".equals(messages.get(i).path("role").asText())) {
                ((ObjectNode) edit().path("messages").get(i)).put("role", "system");
                rewrote = true;
            }
        }
        if (rewrote) {
            call.note("rewrote developer messages as system: " + providerId + " has no developer role");
        }
    }

    /** Removes {@code name} from messages of the given roles (all roles when {@code roles} is empty). */
    public void dropMessageNames(String why, String... roles) {
        JsonNode messages = body.path("messages");
        boolean dropped = false;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (m.has("name")
                    && (roles.length == 0
                            || java.util.Arrays.asList(roles)
                                    .contains(m.path("role").asText()))) {
                ((ObjectNode) edit().path("messages").get(i)).remove("name");
                dropped = true;
            }
        }
        if (dropped) {
            call.dropped("messages[].name", why);
        }
    }
}
