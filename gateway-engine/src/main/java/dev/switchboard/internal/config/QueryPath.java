package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.switchboard.api.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a condition looks in the query context: a dotted path of any depth
 * ({@code metadata.plan}, {@code params.messages.0.role}, a numeric segment indexes an array) or a
 * JsonPath expression ({@code $.params.tools[0].type}). Resolving yields the values found: none
 * (absent), one, or for an indefinite JsonPath ({@code [*]}, filters) every match.
 *
 * <pre>{@code
 * QueryPath.compile("params.messages.0.role").resolve(context)  // ["system"]
 * }</pre>
 */
final class QueryPath {
    /** JsonPath's own copy of the gateway's mapper (same read limits), shared by both providers. */
    private static final ObjectMapper MAPPER = Json.newMapper();
    /** Jackson on both sides, explicitly: json-smart (JsonPath's default) is not on the class path. */
    private static final Configuration JSON_PATH = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(MAPPER))
            .mappingProvider(new JacksonMappingProvider(MAPPER))
            .options(Option.SUPPRESS_EXCEPTIONS)
            .build();

    private final String[] segments;
    private final JsonPath jsonPath;

    private QueryPath(String[] segments, JsonPath jsonPath) {
        this.segments = segments;
        this.jsonPath = jsonPath;
    }

    /** Compiles a path; an invalid one raises {@link IllegalArgumentException} saying why. */
    static QueryPath compile(String path) {
        if (path.startsWith("$.")) {
            try {
                return new QueryPath(null, JsonPath.compile(path));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("a valid JsonPath (" + e.getMessage() + ")", e);
            }
        }
        if (!(path.startsWith("metadata.") || path.startsWith("params.") || path.startsWith("url."))) {
            throw new IllegalArgumentException("a path starting with metadata., params., url. or $.");
        }
        String[] segments = path.split("\\.", -1);
        for (String s : segments) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a dotted path without empty segments");
            }
        }
        return new QueryPath(segments, null);
    }

    /** Whether this is a dotted path: it finds at most one value ({@link #resolveOne}). */
    boolean isDotted() {
        return jsonPath == null;
    }

    /** The one value a dotted path finds, or null when absent; allocates nothing. */
    JsonNode resolveOne(JsonNode context) {
        JsonNode current = context;
        for (String segment : segments) {
            if (current == null) {
                return null;
            }
            if (current.isObject()) {
                current = current.get(segment);
            } else if (current.isArray()) {
                current = current.get(index(segment));
            } else {
                return null;
            }
        }
        return current == null || current.isMissingNode() ? null : current;
    }

    List<JsonNode> resolve(JsonNode context) {
        return jsonPath != null ? resolveJsonPath(context) : resolveDotted(context);
    }

    private List<JsonNode> resolveDotted(JsonNode context) {
        JsonNode current = context;
        for (String segment : segments) {
            if (current == null) {
                return List.of();
            }
            if (current.isObject()) {
                current = current.get(segment);
            } else if (current.isArray()) {
                current = current.get(index(segment));
            } else {
                return List.of();
            }
        }
        return current == null || current.isMissingNode() ? List.of() : List.of(current);
    }

    private static int index(String segment) {
        if (segment.isEmpty() || segment.length() > 9) {
            return -1;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (!Character.isDigit(segment.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(segment);
    }

    private List<JsonNode> resolveJsonPath(JsonNode context) {
        Object result;
        try {
            result = JsonPath.using(JSON_PATH).parse(context).read(jsonPath);
        } catch (RuntimeException e) {
            return List.of(); // SUPPRESS_EXCEPTIONS covers path errors; anything else still means "not found"
        }
        if (!(result instanceof JsonNode) || ((JsonNode) result).isMissingNode()) {
            return List.of();
        }
        JsonNode found = (JsonNode) result;
        if (jsonPath.isDefinite() || !found.isArray()) {
            return List.of(found);
        }
        List<JsonNode> matches = new ArrayList<>();
        found.forEach(matches::add);
        return matches;
    }
}
