package dev.switchboard.spi;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the gateway finds prompt templates by id and version ({@code Gateway.Builder.prompts}).
 * The engine ships {@code dev.switchboard.prompts.PromptLibrary} (a folder of JSON files, or prompts
 * given in code); implement this to keep prompts elsewhere (a database, a config service). Called
 * once per prompt request, from any thread: implementations must be thread-safe and should answer
 * from memory.
 *
 * <pre>{@code
 * PromptStore store = (id, version) -> Optional.ofNullable(byId.get(id));
 * Gateway g = Gateway.builder().config(json).prompts(store).build();
 * }</pre>
 */
@FunctionalInterface
public interface PromptStore {
    /**
     * Finds one version of a prompt.
     *
     * @param id      the prompt id, e.g. {@code support-reply}
     * @param version the version asked for, or null for the newest (highest) one
     * @return the prompt, or empty when the store has no such id or version
     */
    Optional<PromptDefinition> find(String id, @Nullable Integer version);

    /**
     * The ids the store holds, so an unknown id can be answered with the nearest one; may be empty
     * when listing is expensive.
     *
     * @return the ids, in any order
     */
    default Collection<String> ids() {
        return List.of();
    }
}
