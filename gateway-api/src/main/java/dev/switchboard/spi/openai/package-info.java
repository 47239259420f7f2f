/**
 * Builders for the OpenAI-format answers and stream chunks a {@link dev.switchboard.spi.Provider}
 * returns: {@link dev.switchboard.spi.openai.ChatCompletions} (a whole {@code chat.completion}),
 * {@link dev.switchboard.spi.openai.ChunkBuilder} (the {@code chat.completion.chunk}s of a stream) and
 * {@link dev.switchboard.spi.openai.FinishReasons}. Usage is {@link dev.switchboard.api.Usage}
 * ({@code Usage.of(prompt, completion)}); errors are {@link dev.switchboard.api.ErrorBody}.
 */
package dev.switchboard.spi.openai;
