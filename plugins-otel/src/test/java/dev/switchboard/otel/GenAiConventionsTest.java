package dev.switchboard.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.api.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenAiConventionsTest {

    @ParameterizedTest
    @CsvSource({
        "openai, openai",
        "azure-openai, azure.ai.openai",
        "anthropic, anthropic",
        "google, gcp.gemini",
        "vertex-ai, gcp.vertex_ai",
        "bedrock, aws.bedrock",
        "cohere, cohere",
        "mistral-ai, mistral_ai",
        "groq, groq",
        "deepseek, deepseek",
        "x-ai, x_ai",
        "perplexity-ai, perplexity",
        "OpenAI, openai",
        "together-ai, together-ai",
        "ollama, ollama"
    })
    void providerIdsMapToTheSemconvProviderNameOrPassThrough(String id, String expected) {
        assertEquals(expected, GenAiConventions.providerName(id));
    }

    @Test
    void anUnknownProviderIsLeftOut() {
        assertNull(GenAiConventions.providerName(null));
    }

    @ParameterizedTest
    @CsvSource({
        "CHAT_COMPLETIONS, chat",
        "COMPLETIONS, text_completion",
        "EMBEDDINGS, embeddings",
        "IMAGES_GENERATIONS, images_generations",
        "AUDIO_SPEECH, audio_speech"
    })
    void endpointsMapToTheSemconvOperationName(Endpoint endpoint, String expected) {
        assertEquals(expected, GenAiConventions.operationName(endpoint));
    }
}
