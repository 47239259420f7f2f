package dev.switchboard.providers.common;

/** OpenAI-format requests, answers and streams used by every adapter's tests (PROVIDERS.md §1.5). */
public final class OpenAiSamples {
    private OpenAiSamples() {}

    public static final String PLAIN_CHAT =
            """
            {"model":"m-1","messages":[{"role":"developer","content":"Be terse."},
             {"role":"user","content":"Hi","name":"ann"}],
             "max_completion_tokens":64,"temperature":0.2,"stop":"END","x_vendor_knob":7}
            """;

    public static final String IMAGE_CHAT =
            """
            {"model":"m-1","messages":[{"role":"user","content":[
              {"type":"text","text":"What is in this image?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]}]}
            """;

    public static final String TOOL_TURN =
            """
            {"model":"m-1","messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_abc123","type":"function",
                 "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
              {"role":"tool","tool_call_id":"call_abc123","content":"{\\"temp_c\\": 18}"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
                "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}},
               {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}],
             "tool_choice":"required","parallel_tool_calls":true}
            """;

    public static final String JSON_SCHEMA_CHAT =
            """
            {"model":"m-1","messages":[{"role":"user","content":"Give me a person"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"person","strict":true,
               "schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}},
             "seed":42,"user":"u-1"}
            """;

    public static final String TEXT_ANSWER =
            """
            {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"m-1",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello é 😀","refusal":null},
                         "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1320,"completion_tokens":9,"total_tokens":1329,
                      "prompt_tokens_details":{"cached_tokens":1024},"completion_tokens_details":{"reasoning_tokens":0}}}
            """;

    public static final String TOOL_ANSWER =
            """
            {"id":"chatcmpl-2","object":"chat.completion","created":1767225600,"model":"m-1",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,
               "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
               "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":20,"completion_tokens":10,"total_tokens":30}}
            """;

    public static final String LENGTH_ANSWER =
            """
            {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"m-1",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello é 😀","refusal":null},
                         "logprobs":null,"finish_reason":"length"}],
             "usage":{"prompt_tokens":1320,"completion_tokens":9,"total_tokens":1329,
                      "prompt_tokens_details":{"cached_tokens":1024},"completion_tokens_details":{"reasoning_tokens":0}}}
            """;

    public static final String FILTERED_ANSWER =
            """
            {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"m-1",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello é 😀","refusal":null},
                         "logprobs":null,"finish_reason":"content_filter"}],
             "usage":{"prompt_tokens":1320,"completion_tokens":9,"total_tokens":1329,
                      "prompt_tokens_details":{"cached_tokens":1024},"completion_tokens_details":{"reasoning_tokens":0}}}
            """;

    /** A stream with text (with multi-byte characters), two tool calls and the usage chunk. */
    public static final String[] STREAM_EVENTS = {
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Il fait 18 °C 😀\"},\"finish_reason\":null}]}",
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Par\"}}]},\"finish_reason\":null}]}",
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"is\\\"}\"}}]},\"finish_reason\":null}]}",
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{\\\"tz\\\":\"}}]},\"finish_reason\":null}]}",
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"CET\\\"}\"}}]},\"finish_reason\":null}]}",
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15,\"prompt_tokens_details\":{\"cached_tokens\":4}}}"
    };
}
