package dev.switchboard.prompts;

/**
 * A prompt template that cannot be loaded: malformed JSON, a missing or misspelt field, or a
 * template with an unclosed or mismatched tag. The message names the file (or source), the line and
 * column in it, the JSON pointer of the field, what was found and what was expected.
 *
 * <pre>{@code
 * try { PromptLibrary.fromFolder(Path.of("prompts")); }
 * catch (PromptException e) { System.err.println(e.getMessage()); }
 * // prompts/support-reply.json:5:41 (/messages/1/content): section {{#orders}} is never closed; expected {{/orders}}
 * }</pre>
 */
public final class PromptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The file or source of the prompt. */
    private final String source;
    /** The JSON pointer of the field at fault. */
    private final String pointer;
    /** The line in the source, 1-based; 0 when unknown. */
    private final int line;
    /** The column in the source, 1-based; 0 when unknown. */
    private final int column;

    /**
     * A problem at a place of a prompt.
     *
     * @param source  the file or source of the prompt
     * @param pointer the JSON pointer of the field at fault ({@code ""} for the whole prompt)
     * @param line    the line in the source, 1-based; 0 when unknown
     * @param column  the column in the source, 1-based; 0 when unknown
     * @param problem what was found and what was expected
     */
    public PromptException(String source, String pointer, int line, int column, String problem) {
        super(source + (line > 0 ? ":" + line + ":" + column : "") + " (" + (pointer.isEmpty() ? "/" : pointer) + "): "
                + problem);
        this.source = source;
        this.pointer = pointer;
        this.line = line;
        this.column = column;
    }

    /** {@return the file or source of the prompt} */
    public String source() {
        return source;
    }

    /** {@return the JSON pointer of the field at fault, {@code ""} for the whole prompt} */
    public String pointer() {
        return pointer;
    }

    /** {@return the line in the source, 1-based; 0 when unknown} */
    public int line() {
        return line;
    }

    /** {@return the column in the source, 1-based; 0 when unknown} */
    public int column() {
        return column;
    }
}
