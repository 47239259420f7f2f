package dev.switchboard.internal.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ConfigException;
import dev.switchboard.api.Json;
import java.util.List;

/** Shared helpers: JSON written with single quotes, compile, and the problems of a bad config. */
final class ConfigFixtures {
    static final FakeCompileContext CONTEXT = new FakeCompileContext();

    private ConfigFixtures() {}

    /** Parses JSON written with {@code '} instead of {@code "} (readable in Java strings). */
    static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    static CompiledConfig compile(String singleQuoted) {
        return ConfigCompiler.compile(json(singleQuoted), CONTEXT);
    }

    static List<ConfigException.Problem> problems(String singleQuoted) {
        return assertThrows(ConfigException.class, () -> compile(singleQuoted)).problems();
    }

    /** The single problem of a config with exactly one. */
    static ConfigException.Problem problem(String singleQuoted) {
        List<ConfigException.Problem> all = problems(singleQuoted);
        if (all.size() != 1) {
            throw new AssertionError("expected one problem, got " + all);
        }
        return all.get(0);
    }
}
