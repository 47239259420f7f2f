package dev.switchboard.providers.common;

import static dev.switchboard.providers.common.ProviderTesting.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The SDK check itself: it accepts what OpenAI sends and rejects what breaks an OpenAI SDK app. */
class OpenAiSdkCheckTest {
    private static String answerWithToolCall(String toolCall) {
        return "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + toolCall + "]},"
                + "\"finish_reason\":\"tool_calls\",\"logprobs\":null}]}";
    }

    @Test
    void openAisOwnSamplesPass() {
        assertEquals(
                "Hello é 😀",
                OpenAiSdkCheck.chatCompletion(json(OpenAiSamples.TEXT_ANSWER))
                        .choices()
                        .get(0)
                        .message()
                        .content()
                        .orElseThrow());
        OpenAiSdkCheck.chatCompletion(json(OpenAiSamples.TOOL_ANSWER));
        OpenAiSdkCheck.Stream s = OpenAiSdkCheck.stream();
        for (String e : OpenAiSamples.STREAM_EVENTS) {
            s.accept(json(e));
        }
        assertEquals(
                "{\"tz\":\"CET\"}",
                s.completion()
                        .choices()
                        .get(0)
                        .message()
                        .toolCalls()
                        .orElseThrow()
                        .get(1)
                        .asFunction()
                        .function()
                        .arguments());
        OpenAiSdkCheck.error(json("{\"error\":{\"message\":\"m\",\"type\":\"t\",\"param\":null,\"code\":null}}"));
    }

    @Test
    void aToolCallWithoutTypeIsRejectedAsTheSdkDoes() {
        AssertionFailedError e = assertThrows(
                AssertionFailedError.class,
                () -> OpenAiSdkCheck.chatCompletion(
                        json(answerWithToolCall("{\"id\":\"x\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}"))));
        assertTrue(e.getMessage().contains("ChatCompletionMessageToolCall"), e.getMessage());
    }

    @Test
    void argumentsThatAreNotAJsonObjectTextAreRejected() {
        for (String arguments : new String[] {"\"\"", "{\"a\":1}", "\"[1]\""}) {
            assertThrows(
                    AssertionFailedError.class,
                    () -> OpenAiSdkCheck.chatCompletion(json(answerWithToolCall(
                            "{\"id\":\"x\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":"
                                    + arguments + "}}"))),
                    arguments);
        }
    }

    @Test
    void aStreamedToolCallWithEmptyArgumentsFailsOnceAccumulated() {
        OpenAiSdkCheck.Stream s = OpenAiSdkCheck.stream();
        s.accept(json(
                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"t\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}"));
        assertThrows(
                AssertionFailedError.class,
                () -> s.accept(
                        json(
                                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\","
                                        + "\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}")));
    }

    @Test
    void aChunkAfterTheFinalOneIsRejectedAsTheSdkAccumulatorDoes() {
        OpenAiSdkCheck.Stream s = OpenAiSdkCheck.stream();
        for (String e : OpenAiSamples.STREAM_EVENTS) {
            s.accept(json(e));
        }
        AssertionFailedError e =
                assertThrows(AssertionFailedError.class, () -> s.accept(json(OpenAiSamples.STREAM_EVENTS[1])));
        assertTrue(e.getMessage().contains("Already accumulated"), e.getMessage());
    }

    @Test
    void aChunkChoiceWithoutDeltaIsRejected() {
        assertThrows(
                AssertionFailedError.class,
                () -> OpenAiSdkCheck.chunk(
                        json(
                                "{\"id\":\"\",\"object\":\"\",\"created\":0,"
                                        + "\"model\":\"\",\"choices\":[{\"index\":0,\"finish_reason\":null,\"content_filter_offsets\":{}}]}")));
    }

    @Test
    void aStreamThatNeverFinishedHasNoAccumulatedAnswer() {
        OpenAiSdkCheck.Stream s = OpenAiSdkCheck.stream();
        s.accept(json(OpenAiSamples.STREAM_EVENTS[0]));
        assertThrows(AssertionFailedError.class, s::completion);
    }

    @Test
    void anErrorWithoutMessageOrTypeIsRejected() {
        assertThrows(AssertionFailedError.class, () -> OpenAiSdkCheck.error(json("{\"error\":{\"message\":\"m\"}}")));
        assertThrows(
                AssertionFailedError.class, () -> OpenAiSdkCheck.error(json("{\"message\":\"m\",\"type\":\"t\"}")));
    }

    @Test
    void anUnknownFinishReasonIsRejected() {
        assertThrows(
                AssertionFailedError.class,
                () -> OpenAiSdkCheck.chatCompletion(json(OpenAiSamples.TEXT_ANSWER.replace(
                        "\"finish_reason\":\"stop\"", "\"finish_reason\":\"end_turn\""))));
    }
}
