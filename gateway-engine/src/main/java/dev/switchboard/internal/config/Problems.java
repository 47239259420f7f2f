package dev.switchboard.internal.config;

import dev.switchboard.ConfigException;
import dev.switchboard.ConfigException.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems found while compiling one config, in document order. The compiler keeps going after a
 * problem so that one {@link ConfigException} can list all of them. Warnings are kept apart: they
 * do not fail the config.
 */
final class Problems {
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    void add(String pointer, String found, String expected) {
        add(pointer, found, expected, null);
    }

    void add(String pointer, String found, String expected, String suggestion) {
        problems.add(new Problem(pointer, found, expected, suggestion));
    }

    /** A doubt that does not make the config invalid (logged when the gateway is built). */
    void warn(String message) {
        warnings.add(message);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    int size() {
        return problems.size();
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Whether problems were added since the caller remembered {@link #size()}. */
    boolean grewSince(int size) {
        return problems.size() > size;
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
