package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.accounting.KeysFile;
import dev.switchboard.api.Json;
import dev.switchboard.api.ProviderCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may call the server, read from a keys file: the server's API keys (each a name, a secret, the
 * virtual keys it may use and metadata added to its requests) and, in the same file, the provider
 * virtual keys of the gateway ({@link KeysFile}'s {@code keys} section, limits and budgets included).
 *
 * <pre>{@code
 * {"api_keys": {
 *    "team-a": {"key": "${TEAM_A_SERVER_KEY}", "virtual_keys": ["@openai-prod"], "metadata": {"team": "a"}}},
 *  "keys": {
 *    "@openai-prod": {"provider": "openai", "api_key": "${OPENAI_API_KEY}",
 *                     "limits": {"per_value_of": {"api_key": {"requests_per_minute": 60, "budget_usd_per_day": "5.00"}}}}}}
 * }</pre>
 *
 * <p>Every request the server accepts carries the metadata {@code api_key} = the key's name (never its
 * secret; a client cannot override it), so budgets and rate limits per server key are the virtual
 * keys' {@code per_value_of: {"api_key": ...}} limits, enforced atomically by the gateway.
 * {@code virtual_keys}, when given, restricts {@code x-portkey-virtual-key} to those keys.
 * Secrets are {@code ${ENV}} references (a literal secret is accepted too, for tests); neither the
 * secret nor an environment value ever appears in a message or {@code toString()}.
 */
public final class ServerKeys {
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Set<String> TOP = Set.of("api_keys", "keys");
    private static final Set<String> KEY_FIELDS = Set.of("key", "virtual_keys", "metadata");

    private final List<ServerKey> keys;
    private final Map<String, ProviderCredentials> providerKeys;

    private ServerKeys(List<ServerKey> keys, Map<String, ProviderCredentials> providerKeys) {
        this.keys = List.copyOf(keys);
        this.providerKeys = Collections.unmodifiableMap(new LinkedHashMap<>(providerKeys));
    }

    /**
     * One server API key.
     *
     * @param name        the key's name, logged and put in the request metadata as {@code api_key}
     * @param secret      what the client sends; never logged
     * @param virtualKeys the virtual keys ({@code @slug}) it may name in {@code x-portkey-virtual-key}; empty for any
     * @param metadata    metadata added to each of its requests (wins over the client's)
     */
    public record ServerKey(String name, String secret, Set<String> virtualKeys, Map<String, String> metadata) {
        /**
         * Copies the collections.
         *
         * @param name        the key's name
         * @param secret      the secret, at least 16 characters
         * @param virtualKeys allowed virtual keys, empty for any
         * @param metadata    metadata added to its requests
         */
        public ServerKey {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(secret, "secret");
            virtualKeys = Set.copyOf(virtualKeys);
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** {@return the key without its secret} */
        @Override
        public String toString() {
            return "ServerKey{name=" + name + ", virtualKeys=" + virtualKeys + ", metadata=" + metadata.keySet() + "}";
        }

        /**
         * Whether the key may use a virtual key.
         *
         * @param slug a virtual key, with or without its leading {@code @}
         * @return true when {@link #virtualKeys()} is empty or holds it
         */
        public boolean mayUse(String slug) {
            String s = slug.startsWith("@") ? slug : "@" + slug;
            return virtualKeys.isEmpty() || virtualKeys.contains(s);
        }
    }

    /**
     * Keys given in code (no provider virtual keys).
     *
     * @param keys the server keys
     * @return the key set
     * @throws IllegalArgumentException when two keys share a name or a secret
     */
    public static ServerKeys of(List<ServerKey> keys) {
        checkUnique(keys);
        return new ServerKeys(keys, Map.of());
    }

    /**
     * Reads a keys file, resolving {@code ${VAR}} from the process environment.
     *
     * @param file the file (UTF-8)
     * @return the keys
     * @throws IllegalArgumentException naming the file and every problem, with its JSON pointer
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static ServerKeys load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keys file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text, System::getenv);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses keys-file text.
     *
     * @param json the text
     * @param env  resolves {@code ${VAR}}; returns null when unset
     * @return the keys
     * @throws IllegalArgumentException naming every problem with its JSON pointer, never a secret
     */
    public static ServerKeys parse(String json, Function<String, String> env) {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "keys file is not JSON: expected {\"api_keys\": {...}, \"keys\": {...}}");
        }
        List<String> problems = new ArrayList<>();
        List<ServerKey> keys = new ArrayList<>();
        Map<String, ProviderCredentials> providerKeys = Map.of();
        if (!root.isObject()) {
            throw new IllegalArgumentException(
                    "/: found a JSON " + root.getNodeType().toString().toLowerCase()
                            + ", expected an object {\"api_keys\": {...}, \"keys\": {...}}");
        }
        root.fieldNames().forEachRemaining(f -> {
            if (!TOP.contains(f)) {
                problems.add("/" + f + ": unknown field, expected api_keys or keys");
            }
        });
        JsonNode api = root.get("api_keys");
        if (api == null || !api.isObject() || api.isEmpty()) {
            problems.add("/api_keys: missing or empty, expected an object of server keys such as"
                    + " {\"team-a\": {\"key\": \"${TEAM_A_SERVER_KEY}\"}}");
        } else {
            for (Map.Entry<String, JsonNode> e : api.properties()) {
                ServerKey k = key(e.getKey(), e.getValue(), env, problems);
                if (k != null) {
                    keys.add(k);
                }
            }
        }
        if (root.has("keys")) {
            ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
            wrapper.set("keys", root.get("keys"));
            try {
                providerKeys = KeysFile.parse(wrapper.toString(), env);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            try {
                checkUnique(keys);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            for (ServerKey k : keys) {
                for (String vk : k.virtualKeys()) {
                    if (!providerKeys.isEmpty() && !providerKeys.containsKey(vk)) {
                        problems.add("/api_keys/" + k.name() + "/virtual_keys: \"" + vk
                                + "\" is not in /keys, expected one of " + providerKeys.keySet());
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("keys file: " + String.join("; ", problems));
        }
        return new ServerKeys(keys, providerKeys);
    }

    private static ServerKey key(String name, JsonNode n, Function<String, String> env, List<String> problems) {
        String at = "/api_keys/" + name;
        if (!n.isObject()) {
            problems.add(at + ": expected an object {\"key\": \"${ENV_VAR}\"}");
            return null;
        }
        n.fieldNames().forEachRemaining(f -> {
            if (!KEY_FIELDS.contains(f)) {
                problems.add(at + "/" + f + ": unknown field, expected key, virtual_keys or metadata");
            }
        });
        JsonNode key = n.get("key");
        if (key == null || !key.isTextual()) {
            problems.add(at + "/key: missing, expected a string such as \"${TEAM_A_SERVER_KEY}\"");
            return null;
        }
        String secret = expand(key.asText(), env, at + "/key", problems);
        if (secret == null) {
            return null;
        }
        if (secret.length() < 16) {
            problems.add(at + "/key: the secret has " + secret.length() + " characters, expected at least 16");
            return null;
        }
        Set<String> vks = new LinkedHashSet<>();
        JsonNode v = n.get("virtual_keys");
        if (v != null) {
            if (!v.isArray()) {
                problems.add(at + "/virtual_keys: expected an array of virtual keys such as [\"@openai-prod\"]");
            } else {
                for (JsonNode s : v) {
                    String t = s.asText("");
                    vks.add(t.startsWith("@") ? t : "@" + t);
                }
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode m = n.get("metadata");
        if (m != null) {
            if (!m.isObject()) {
                problems.add(at + "/metadata: expected an object of strings");
            } else {
                m.properties()
                        .forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
            }
        }
        return new ServerKey(name, secret, vks, metadata);
    }

    private static String expand(String value, Function<String, String> env, String at, List<String> problems) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            if (value.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                continue;
            }
            Matcher mt = VAR.matcher(value);
            if (value.startsWith("${", i) && mt.find(i) && mt.start() == i) {
                String val = env.apply(mt.group(1));
                if (val == null || val.isEmpty()) {
                    problems.add(at + ": environment variable " + mt.group(1) + " is not set");
                    return null;
                }
                out.append(val);
                i = mt.end();
                continue;
            }
            out.append(value.charAt(i++));
        }
        return out.toString();
    }

    private static void checkUnique(List<ServerKey> keys) {
        Set<String> names = new LinkedHashSet<>();
        Set<String> secrets = new LinkedHashSet<>();
        for (ServerKey k : keys) {
            if (!names.add(k.name())) {
                throw new IllegalArgumentException("/api_keys: two keys are named \"" + k.name() + "\"");
            }
            if (!secrets.add(k.secret())) {
                throw new IllegalArgumentException("/api_keys/" + k.name() + "/key: the same secret as another key");
            }
        }
    }

    /**
     * Finds the key a client presented, comparing in constant time.
     *
     * @param presented what the client sent ({@code x-portkey-api-key} or the bearer token)
     * @return the key, or empty
     */
    public Optional<ServerKey> authenticate(String presented) {
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        ServerKey found = null;
        for (ServerKey k : keys) {
            if (MessageDigest.isEqual(p, k.secret().getBytes(StandardCharsets.UTF_8))) {
                found = k;
            }
        }
        return Optional.ofNullable(found);
    }

    /** {@return the server keys, in file order} */
    public List<ServerKey> keys() {
        return keys;
    }

    /** {@return the provider virtual keys of the file's {@code keys} section, to register on the gateway} */
    public Map<String, ProviderCredentials> providerKeys() {
        return providerKeys;
    }

    /** {@return the key names only} */
    @Override
    public String toString() {
        return "ServerKeys" + keys.stream().map(ServerKey::name).toList();
    }
}
