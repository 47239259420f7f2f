/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java-core}) running through a Switchboard
 * {@link dev.switchboard.Gateway} in the same JVM: {@link dev.switchboard.openai.SwitchboardOpenAI}
 * builds a normal {@code OpenAIClient} whose HTTP client is the gateway
 * ({@link dev.switchboard.openai.SwitchboardHttpClient}); no proxy, no network hop between the SDK and
 * the gateway.
 */
package dev.switchboard.openai;
