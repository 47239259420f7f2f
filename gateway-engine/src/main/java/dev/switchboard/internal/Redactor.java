package dev.switchboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.api.Attempt;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redaction step every user-visible string passes through — error bodies, exception
 * messages, trace entries (and so the log sinks), explanations, config problems. It knows the
 * secrets the gateway holds (config {@code api_key}s and provider secret fields, virtual-key
 * secrets, the request's credential headers) and replaces each with {@value #MASK}, also when it
 * appears trimmed or JSON-escaped; it also masks key-shaped text it was not told about
 * ({@code sk-…}, {@code Bearer …}, AWS access key ids, Google API keys, {@code user:secret@} in URLs,
 * {@code api_key=…}). Immutable and thread-safe; {@link #with} makes a redactor knowing more.
 *
 * <pre>{@code
 * Redactor r = Redactor.patterns().with(List.of("CHAOSSECRET-1"));
 * r.redact("upstream said: bad key CHAOSSECRET-1");  // "upstream said: bad key ****"
 * }</pre>
 */
public final class Redactor {
    /** What a secret is replaced with. */
    public static final String MASK = "****";

    /** Shorter known values are not masked by value (too likely to occur by chance); patterns still apply. */
    static final int MIN_SECRET_LENGTH = 6;

    private static final Redactor PATTERNS_ONLY = new Redactor(List.of());

    /** Key-shaped text, masked whether or not the gateway knows the value. */
    private static final Pattern KEY_SHAPED = Pattern.compile(String.join(
            "|",
            "(?i)\\bbearer\\s+[A-Za-z0-9._~+/=\\-]{8,}", // Authorization: Bearer …
            "\\b(?:sk|pk|rk)-[A-Za-z0-9_\\-]{8,}", // OpenAI, Anthropic (sk-ant-…), …
            "\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\\b", // AWS access key ids
            "\\bAIza[0-9A-Za-z_\\-]{30,}", // Google API keys
            "\\bgh[pousr]_[A-Za-z0-9]{20,}", // GitHub tokens
            "\\bxox[abprs]-[A-Za-z0-9\\-]{10,}", // Slack tokens
            "\\beyJ[A-Za-z0-9_\\-]{10,}\\.[A-Za-z0-9_\\-]{10,}\\.[A-Za-z0-9_\\-]*")); // JWTs (azure_ad_token, …)

    /** {@code scheme://user:secret@host}: the userinfo goes. */
    private static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)[^/\\s@\"'<>]+@");

    /**
     * {@code api_key=…}, {@code "x-api-key": "…"}, {@code password: …}: the value goes — unless it is
     * an environment reference (<code>${NAME}</code>), which names a secret without being one.
     */
    private static final Pattern ASSIGNED = Pattern.compile(
            "(?i)([\"']?[a-z0-9_\\-]*(?:api[_-]?key|secret|access[_-]?token|auth[_-]?token|password|passwd"
                    + "|authorization|credential)[a-z0-9_\\-]*[\"']?\\s*[:=]\\s*[\"']?)(?!\\$\\{)([^\\s\"',;&}]{8,})");

    /** Known secrets (and their trimmed and JSON-escaped forms), longest first. */
    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** {@return a redactor that knows no secret by value: key-shaped patterns only} */
    public static Redactor patterns() {
        return PATTERNS_ONLY;
    }

    /**
     * A redactor that also knows these secrets by value.
     *
     * @param more secret values (nulls and values shorter than 6 characters are skipped)
     * @return this redactor when nothing was added, else a new one
     */
    public Redactor with(Collection<String> more) {
        Set<String> all = new LinkedHashSet<>(secrets);
        for (String s : more) {
            addForms(all, s);
        }
        if (all.size() == secrets.size()) {
            return this;
        }
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(sorted));
    }

    private static void addForms(Set<String> into, String s) {
        if (s == null) {
            return;
        }
        for (String form : List.of(s, s.strip(), jsonEscaped(s), jsonEscaped(s.strip()))) {
            if (form.length() >= MIN_SECRET_LENGTH && !form.equals(MASK)) {
                into.add(form);
            }
        }
    }

    private static String jsonEscaped(String s) {
        String quoted = TextNode.valueOf(s).toString();
        return quoted.substring(1, quoted.length() - 1);
    }

    /**
     * The text with every known secret and every key-shaped string masked.
     *
     * @param text any text meant for a person; null stays null
     * @return the redacted text
     */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        out = URL_USERINFO.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        out = ASSIGNED.matcher(out)
                .replaceAll(m -> m.group(2).equals(MASK)
                        ? Matcher.quoteReplacement(m.group())
                        : Matcher.quoteReplacement(m.group(1) + MASK));
        out = KEY_SHAPED.matcher(out).replaceAll(m -> {
            String g = m.group();
            int space = g.indexOf(' ');
            // keep the scheme word of "Bearer …"/"Basic …": it says what kind of secret was there
            return Matcher.quoteReplacement(
                    space > 0 && !g.startsWith("sk-") ? g.substring(0, space + 1) + MASK : MASK);
        });
        return out;
    }

    /**
     * A copy of a JSON tree with every string value (and field name) redacted; used for error bodies.
     *
     * @param node the tree; null stays null
     * @return the redacted copy, or {@code node} itself when nothing needed masking
     */
    public JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String r = redact(node.textValue());
            return r.equals(node.textValue()) ? node : TextNode.valueOf(r);
        }
        if (node.isObject()) {
            ObjectNode copy = null;
            Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = redact(e.getValue());
                if (v != e.getValue()) {
                    if (copy == null) {
                        copy = ((ObjectNode) node).deepCopy();
                    }
                    copy.set(e.getKey(), v);
                }
            }
            return copy == null ? node : copy;
        }
        if (node.isArray()) {
            ArrayNode copy = null;
            for (int i = 0; i < node.size(); i++) {
                JsonNode v = redact(node.get(i));
                if (v != node.get(i)) {
                    if (copy == null) {
                        copy = ((ArrayNode) node).deepCopy();
                    }
                    copy.set(i, v);
                }
            }
            return copy == null ? node : copy;
        }
        return node;
    }

    /**
     * The attempt with its error message and notes redacted (the rest are ids, numbers and paths).
     *
     * @param a the attempt
     * @return {@code a} itself when nothing needed masking, else a copy
     */
    public Attempt redact(Attempt a) {
        if (a.errorMessage() == null && a.notes().isEmpty()) {
            return a; // a clean attempt: nothing to look at
        }
        String message = redact(a.errorMessage());
        List<String> notes = a.notes().stream().map(this::redact).toList();
        if (java.util.Objects.equals(message, a.errorMessage()) && notes.equals(a.notes())) {
            return a;
        }
        return new Attempt(
                a.targetPath(),
                a.provider(),
                a.model(),
                a.status(),
                a.latency(),
                a.retryNumber(),
                a.errorClass(),
                message,
                a.usage(),
                a.cost(),
                a.saved(),
                a.startedAt(),
                a.cacheStatus(),
                notes,
                a.virtualKey());
    }

    /**
     * Whether a config or header field name holds a credential ({@code api_key},
     * {@code aws_secret_access_key}, tokens, passwords, {@code authorization}, service accounts).
     *
     * @param name a field or header name
     * @return true when its value is to be treated as a secret
     */
    public static boolean isSecretName(String name) {
        if (name == null) {
            return false;
        }
        String k = name.toLowerCase(Locale.ROOT);
        if (k.equals("virtual_key") || k.equals("x-portkey-virtual-key")) {
            return false; // a slug, not a secret
        }
        return k.endsWith("key")
                || k.endsWith("keys")
                || k.contains("secret")
                || k.contains("token")
                || k.contains("password")
                || k.contains("credential")
                || k.contains("service_account")
                || k.contains("authorization")
                || k.contains("cookie");
    }

    /**
     * Adds every string under {@code node} (objects and arrays walked) to {@code into}: all of a
     * secret field's content is secret, e.g. a service-account JSON's private key.
     *
     * @param node a secret field's value, or null
     * @param into where the strings go
     */
    public static void collectStrings(JsonNode node, Collection<String> into) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            into.add(node.textValue());
            if (node.textValue().trim().startsWith("{")) {
                try {
                    collectStrings(dev.switchboard.api.Json.parse(node.textValue()), into);
                } catch (IllegalArgumentException ignored) {
                    // not JSON: the whole string is the secret
                }
            }
        } else if (node.isContainerNode()) {
            node.elements().forEachRemaining(e -> collectStrings(e, into));
        }
    }

    /**
     * Adds the secrets of a provider's options: every string under a field whose name
     * {@link #isSecretName is a secret's}, or that the adapter declares secret, and the password of a
     * {@code custom_host} with userinfo.
     *
     * @param options    a target's options or a virtual key's
     * @param secretKeys the adapter's declared secret fields (may be empty)
     * @param into       where the secrets go
     */
    public static void collectSecrets(JsonNode options, Set<String> secretKeys, Collection<String> into) {
        if (options == null || !options.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = options.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (isSecretName(e.getKey()) || secretKeys.contains(e.getKey())) {
                collectStrings(e.getValue(), into);
            }
        }
        JsonNode host = options.get("custom_host");
        if (host != null && host.isTextual()) {
            Matcher m = Pattern.compile("://([^/\\s@]+)@").matcher(host.textValue());
            if (m.find()) {
                String userinfo = m.group(1);
                into.add(userinfo);
                int colon = userinfo.indexOf(':');
                if (colon >= 0) {
                    into.add(userinfo.substring(colon + 1));
                }
            }
        }
    }

    /**
     * Adds the secrets of a whole config: {@link #collectSecrets} on every object in it (targets at
     * any depth), by field name only — enough before the providers are known.
     *
     * @param config a config tree, or null
     * @param into   where the secrets go
     */
    public static void collectConfigSecrets(JsonNode config, Collection<String> into) {
        if (config == null || !config.isContainerNode()) {
            return;
        }
        java.util.ArrayDeque<JsonNode> todo = new java.util.ArrayDeque<>();
        todo.add(config);
        while (!todo.isEmpty()) {
            JsonNode n = todo.poll();
            if (n.isObject()) {
                collectSecrets(n, Set.of(), into);
            }
            n.elements().forEachRemaining(e -> {
                if (e.isContainerNode()) {
                    todo.add(e);
                }
            });
        }
    }

    /**
     * The first control character in a header value — CR, LF or another C0 control (tab allowed) or DEL.
     *
     * @param value a header value
     * @return its index, or -1 when the value is fit for an HTTP header
     */
    public static int controlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return i;
            }
        }
        return -1;
    }

    /**
     * How a bad header value is described in an error: which character, where — never the value.
     *
     * @param value a header value for which {@link #controlCharacter} is not -1
     * @return e.g. {@code "a line feed (\n) at character 52 of 52"}
     */
    public static String describeControl(String value) {
        int i = controlCharacter(value);
        char c = value.charAt(i);
        String what = c == '\n'
                ? "a line feed (\\n)"
                : c == '\r'
                        ? "a carriage return (\\r)"
                        : String.format(Locale.ROOT, "a control character (U+%04X)", (int) c);
        return what + " at character " + (i + 1) + " of " + value.length();
    }
}
