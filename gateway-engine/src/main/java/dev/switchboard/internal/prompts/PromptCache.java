package dev.switchboard.internal.prompts;

import dev.switchboard.prompts.PromptException;
import dev.switchboard.spi.PromptDefinition;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The compiled form of each {@link PromptDefinition} instance, kept as long as the definition is
 * (weak keys, by identity): a {@code PromptLibrary}'s prompts are compiled once, when loaded; a
 * custom store's are compiled on first use and again for every new instance it returns.
 */
public final class PromptCache {
    private static final Map<PromptDefinition, CompiledPrompt> COMPILED = new WeakHashMap<>();

    private PromptCache() {}

    /**
     * Compiles and keeps a prompt.
     *
     * @param d       the prompt
     * @param locator where its strings are in its file, or null
     * @return the compiled prompt
     * @throws PromptException when the prompt is invalid
     */
    public static CompiledPrompt compile(PromptDefinition d, CompiledPrompt.Locator locator) {
        CompiledPrompt c = CompiledPrompt.compile(d, locator);
        synchronized (COMPILED) {
            COMPILED.put(d, c);
        }
        return c;
    }

    /**
     * The compiled form of a prompt, compiled now when it was not yet.
     *
     * @param d the prompt
     * @return the compiled prompt
     * @throws PromptException when the prompt is invalid
     */
    public static CompiledPrompt compiled(PromptDefinition d) {
        synchronized (COMPILED) {
            CompiledPrompt c = COMPILED.get(d);
            if (c != null) {
                return c;
            }
        }
        return compile(d, null);
    }

    /** Positions of a JSON text's values, for problems found while compiling a prompt read from it. */
    public static CompiledPrompt.Locator positions(String jsonText) {
        return JsonPositions.of(jsonText);
    }
}
