package dev.switchboard.internal.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.prompts.PromptException;
import dev.switchboard.spi.PromptDefinition;
import dev.switchboard.spi.PromptStore;
import dev.switchboard.spi.support.NearestName;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Portkey's prompt route, {@code POST /v1/prompts/{id}/completions} with
 * {@code {"variables": {...}, ...overrides}}: finds the prompt in the gateway's {@link PromptStore},
 * renders it, and makes the chat completion request that is routed instead (same metadata, headers,
 * trace id and config override). {@code {id}} may carry a version: {@code support-reply@3}, or
 * {@code @latest} (the default).
 */
public final class PromptRoute {
    private PromptRoute() {}

    /** The rendered request, and which prompt and version it came from. */
    public record Rendered(GatewayRequest request, String id, int version) {}

    /** Why a prompt request cannot be rendered: the status, code and message of the 400 (or 500). */
    public static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;
        private final String param;
        private final String id;
        private Integer version;

        Refusal(int status, String code, String param, String id, String message) {
            super(message);
            this.status = status;
            this.code = code;
            this.param = param;
            this.id = id;
        }

        /** {@return 400, or 500 for a stored prompt that does not compile} */
        public int status() {
            return status;
        }

        /** {@return the error code: prompt_not_found, prompt_variable_missing, invalid_prompt_request, invalid_prompt} */
        public String code() {
            return code;
        }

        /** {@return the request field at fault, or null} */
        public String param() {
            return param;
        }

        /** {@return the version of the prompt found, or null when none was found} */
        public Integer version() {
            return version;
        }

        Refusal version(int v) {
            this.version = v;
            return this;
        }

        /** {@return the prompt id asked for, or null when the path had none} */
        public String id() {
            return id;
        }
    }

    /** Whether {@code r} is a call of the prompt route. */
    public static boolean matches(GatewayRequest r) {
        String p = r.path();
        return "POST".equals(r.method())
                && p.startsWith(GatewayRequest.PROMPT_PREFIX)
                && p.endsWith(GatewayRequest.PROMPT_SUFFIX)
                && p.length() > GatewayRequest.PROMPT_PREFIX.length() + GatewayRequest.PROMPT_SUFFIX.length()
                && p.indexOf('/', GatewayRequest.PROMPT_PREFIX.length())
                        == p.length() - GatewayRequest.PROMPT_SUFFIX.length();
    }

    /**
     * Renders a prompt request.
     *
     * @param r     a request for which {@link #matches} is true
     * @param store the gateway's prompts, or null when it has none
     * @return the chat request to route
     * @throws Refusal for an unknown prompt or version, a missing variable, or a malformed request
     */
    public static Rendered render(GatewayRequest r, PromptStore store) {
        String p = r.path();
        String ref = URLDecoder.decode(
                p.substring(GatewayRequest.PROMPT_PREFIX.length(), p.length() - GatewayRequest.PROMPT_SUFFIX.length()),
                StandardCharsets.UTF_8);
        int at = ref.lastIndexOf('@');
        String id = at < 0 ? ref : ref.substring(0, at);
        String v = at < 0 ? "latest" : ref.substring(at + 1);
        Integer version = null;
        if (!v.equals("latest")) {
            try {
                version = Integer.valueOf(v);
            } catch (NumberFormatException e) {
                version = -1;
            }
            if (version < 1) {
                throw new Refusal(
                        400,
                        "invalid_prompt_request",
                        null,
                        id,
                        "prompt \"" + ref + "\": found version \"" + v
                                + "\", expected a positive integer or \"latest\" (support-reply@3)");
            }
        }
        if (!PromptDefinition.ID.matcher(id).matches()) {
            throw new Refusal(
                    400,
                    "invalid_prompt_request",
                    null,
                    null,
                    "found prompt id \"" + shorten(id)
                            + "\", expected an id such as \"support-reply\" in POST /v1/prompts/{id}/completions");
        }
        if (store == null) {
            throw new Refusal(
                    400,
                    "prompt_not_found",
                    null,
                    id,
                    "prompt \"" + id
                            + "\" not found: this gateway has no prompts (load them with Gateway.Builder.prompts)");
        }
        PromptDefinition d = store.find(id, version).orElse(null);
        if (d == null) {
            boolean known = version != null && store.find(id, null).isPresent();
            String near = known ? null : NearestName.suggest(id, store.ids());
            throw new Refusal(
                    400,
                    "prompt_not_found",
                    null,
                    id,
                    known
                            ? "prompt \"" + id + "\" has no version " + version + " (the newest is "
                                    + store.find(id, null).get().version() + ")"
                            : "prompt \"" + id + "\" not found"
                                    + (near == null ? "" : " (did you mean \"" + near + "\"?)"));
        }
        ObjectNode body = r.bodyView();
        if (body == null) {
            throw new Refusal(
                    400,
                    "invalid_prompt_request",
                    null,
                    id,
                    "prompt \"" + id + "\": found no JSON body, expected {\"variables\": {...}}");
        }
        JsonNode vars = body.get("variables");
        if (vars != null && !vars.isObject() && !vars.isNull()) {
            throw new Refusal(
                    400,
                    "invalid_prompt_request",
                    "variables",
                    id,
                    "prompt \"" + id
                            + "\": found variables of type "
                            + vars.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                            + ", expected an object ({\"variables\": {\"customer\": \"Ada\"}})");
        }
        if (body.has("messages")) {
            throw new Refusal(
                    400,
                    "invalid_prompt_request",
                    "messages",
                    id,
                    "prompt \"" + id
                            + "\": found \"messages\" in the request, expected only variables and parameters to override"
                            + " (the messages come from the template)");
        }
        CompiledPrompt compiled;
        try {
            compiled = PromptCache.compiled(d);
        } catch (PromptException e) {
            throw new Refusal(
                    500,
                    "invalid_prompt",
                    null,
                    id,
                    "prompt \"" + id + "@" + d.version() + "\" from the gateway's prompt store is invalid: "
                            + e.getMessage());
        }
        ObjectNode rendered;
        try {
            rendered = compiled.render(vars == null || vars.isNull() ? null : vars, body);
        } catch (CompiledPrompt.MissingVariable e) {
            throw new Refusal(400, "prompt_variable_missing", "variables." + e.name(), id, e.getMessage())
                    .version(d.version());
        }
        GatewayRequest.Builder b = GatewayRequest.builder(Endpoint.CHAT_COMPLETIONS)
                .body(rendered)
                .metadata(r.metadata())
                .traceId(r.traceId().orElse(null));
        r.headerValues().forEach((name, values) -> values.forEach(value -> b.addHeader(name, value)));
        r.configOverride().ifPresent(b::configOverride);
        return new Rendered(b.build(), d.id(), d.version());
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
