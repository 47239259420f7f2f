package dev.switchboard.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.internal.prompts.PromptCache;
import dev.switchboard.spi.PromptDefinition;
import dev.switchboard.spi.PromptStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The engine's {@link PromptStore}: prompt templates loaded from a folder of JSON files, or given
 * as JSON text, each validated and compiled when loaded. Immutable and thread-safe.
 *
 * <pre>{@code
 * PromptLibrary prompts = PromptLibrary.fromFolder(Path.of("prompts"));   // every *.json in the folder
 * Gateway g = Gateway.builder().config(config).prompts(prompts).build();
 * }</pre>
 *
 * A prompt file (JSON only: YAML would need a YAML parser the engine does not depend on):
 *
 * <pre>{@code
 * {"id": "support-reply", "version": 3, "model": "gpt-4o-mini",
 *  "parameters": {"temperature": 0.2, "max_tokens": 300},
 *  "messages": [{"role": "system", "content": "You answer for {{company}}."},
 *               {"role": "user", "content": "{{#order}}Order {{order.id}}: {{/order}}{{question}}"}]}
 * }</pre>
 */
public final class PromptLibrary implements PromptStore {
    /** Prompts by id, then by version. */
    private final Map<String, NavigableMap<Integer, PromptDefinition>> prompts;

    private PromptLibrary(Map<String, NavigableMap<Integer, PromptDefinition>> prompts) {
        this.prompts = prompts;
    }

    /**
     * Loads every {@code *.json} file directly in a folder (sub-folders and other files are
     * ignored; a {@code .yaml}/{@code .yml} file is an error, so it is not silently skipped).
     *
     * @param folder the folder
     * @return the library
     * @throws PromptException       naming the file, line and column of the first invalid prompt, or
     *                               two files holding the same id and version
     * @throws UncheckedIOException when the folder or a file cannot be read
     */
    public static PromptLibrary fromFolder(Path folder) {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list prompt folder " + folder, e);
        }
        Builder b = new Builder();
        for (Path f : files) {
            String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                throw new PromptException(
                        f.toString(),
                        "",
                        0,
                        0,
                        "found a YAML prompt, expected JSON (.json):" + " Switchboard reads prompt files as JSON only");
            }
            if (!name.endsWith(".json")) {
                continue;
            }
            try {
                b.add(Files.readString(f, StandardCharsets.UTF_8), f.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read prompt " + f, e);
            }
        }
        return b.build();
    }

    /**
     * A library of prompts given as JSON text (sources named {@code prompt[0]}, {@code prompt[1]}, …).
     *
     * @param json the prompts, each a JSON object
     * @return the library
     * @throws PromptException naming the source, line and column of the first invalid prompt
     */
    public static PromptLibrary of(String... json) {
        Builder b = new Builder();
        for (int i = 0; i < json.length; i++) {
            b.add(json[i], "prompt[" + i + "]");
        }
        return b.build();
    }

    @Override
    public Optional<PromptDefinition> find(String id, @Nullable Integer version) {
        NavigableMap<Integer, PromptDefinition> versions = prompts.get(id);
        if (versions == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(version == null ? versions.lastEntry().getValue() : versions.get(version));
    }

    @Override
    public Collection<String> ids() {
        return prompts.keySet();
    }

    /**
     * The versions held of a prompt.
     *
     * @param id the prompt id
     * @return its versions, lowest first; empty when the id is unknown
     */
    public List<Integer> versions(String id) {
        NavigableMap<Integer, PromptDefinition> versions = prompts.get(id);
        return versions == null ? List.of() : List.copyOf(versions.keySet());
    }

    /** {@return every prompt held, by id then version} */
    public List<PromptDefinition> all() {
        List<PromptDefinition> out = new ArrayList<>();
        prompts.values().forEach(v -> out.addAll(v.values()));
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "PromptLibrary" + all();
    }

    private static final class Builder {
        private final Map<String, NavigableMap<Integer, PromptDefinition>> prompts = new TreeMap<>();

        void add(String text, String source) {
            JsonNode json;
            try {
                json = Json.parse(text);
            } catch (IllegalArgumentException e) {
                int line = 0;
                int column = 0;
                if (e.getCause() instanceof JsonProcessingException p && p.getLocation() != null) {
                    line = p.getLocation().getLineNr();
                    column = p.getLocation().getColumnNr();
                }
                throw new PromptException(
                        source,
                        "",
                        line,
                        column,
                        "found malformed JSON"
                                + (e.getCause() instanceof JsonProcessingException p
                                        ? " (" + p.getOriginalMessage() + ")"
                                        : "")
                                + ", expected a prompt object");
            }
            PromptDefinition d;
            try {
                d = PromptDefinition.of(json, source);
            } catch (IllegalArgumentException e) {
                String pointer = e.getMessage().contains(" at /version")
                        ? "/version"
                        : e.getMessage().contains(" at /id") ? "/id" : "";
                int[] pos = PromptCache.positions(text).at(pointer, 0);
                String msg = e.getMessage();
                int colon = msg.indexOf(": ");
                throw new PromptException(
                        source,
                        pointer,
                        pos == null ? 0 : pos[0],
                        pos == null ? 0 : pos[1],
                        colon < 0 ? msg : msg.substring(colon + 2));
            }
            PromptCache.compile(d, PromptCache.positions(text));
            PromptDefinition before =
                    prompts.computeIfAbsent(d.id(), k -> new TreeMap<>()).putIfAbsent(d.version(), d);
            if (before != null) {
                throw new PromptException(
                        source,
                        "/version",
                        0,
                        0,
                        "found prompt " + d.id() + " version "
                                + d.version() + " a second time (also in " + before.source()
                                + "), expected each id and version once");
            }
        }

        PromptLibrary build() {
            Map<String, NavigableMap<Integer, PromptDefinition>> copy = new TreeMap<>();
            prompts.forEach((k, v) -> copy.put(k, java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(v))));
            return new PromptLibrary(java.util.Collections.unmodifiableMap(copy));
        }
    }
}
