/**
 * LangChain4j running through a Switchboard {@link dev.switchboard.Gateway} in the same JVM:
 * {@link dev.switchboard.langchain4j.SwitchboardHttpClient} implements LangChain4j's HTTP client SPI
 * ({@code dev.langchain4j.http.client.HttpClient}, blocking and server-sent events) on top of the gateway,
 * and {@link dev.switchboard.langchain4j.SwitchboardLangChain4j} plugs it into {@code OpenAiChatModel},
 * {@code OpenAiStreamingChatModel} and {@code OpenAiEmbeddingModel} in one line; no proxy, no network hop
 * between LangChain4j and the gateway.
 */
package dev.switchboard.langchain4j;
