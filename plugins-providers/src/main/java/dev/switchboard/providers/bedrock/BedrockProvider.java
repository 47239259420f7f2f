package dev.switchboard.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.providers.common.OpenAiErrors;
import dev.switchboard.providers.common.UpstreamHeaders;
import dev.switchboard.providers.common.UpstreamJson;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.Provider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderException;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.StreamTranslator;
import dev.switchboard.spi.UpstreamRequest;
import dev.switchboard.spi.openai.ChunkBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * AWS Bedrock adapter (id {@code bedrock}): chat over Converse / ConverseStream and embeddings over
 * InvokeModel (Titan, Cohere), signed with SigV4 (service {@code bedrock}) from the target's
 * {@code aws_access_key_id}/{@code aws_secret_access_key}/{@code aws_session_token} at
 * {@code call.clock()} time, or authorised with a Bedrock API key ({@code api_key} → Bearer) when no
 * access key is configured.
 *
 * <p>Signed headers: {@code host}, {@code content-type}, {@code x-amz-date},
 * {@code x-amz-security-token} and any forwarded {@code x-amz-*} header. Other forwarded headers
 * are sent unsigned (AWS accepts unsigned extra headers), so a proxy that rewrites e.g.
 * {@code user-agent} cannot break the signature; forwarded headers can never replace
 * {@code authorization}, {@code host} or the signer's own {@code x-amz-*} headers.
 *
 * <pre>{@code
 * {"provider": "bedrock", "aws_region": "us-east-1", "aws_access_key_id": "...",
 *  "aws_secret_access_key": "...", "override_params": {"model": "anthropic.claude-3-5-haiku-20241022-v1:0"}}
 * }</pre>
 */
public final class BedrockProvider implements Provider {
    static final String ID = "bedrock";
    private static final String SERVICE = "bedrock";
    private static final Set<String> OPTION_KEYS =
            Set.of("aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_region");
    private static final Set<String> PROTECTED_HEADERS = Set.of(
            "authorization", "host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "content-length");

    @Override
    public Set<String> ids() {
        return Set.of(ID);
    }

    @Override
    public Set<String> optionKeys(String providerId) {
        return OPTION_KEYS;
    }

    @Override
    public List<String> validateOptions(String providerId, ObjectNode options) {
        List<String> problems = new ArrayList<>();
        if (blank(options, "aws_region")) {
            problems.add("aws_region: required for bedrock (e.g. \"us-east-1\")");
        }
        boolean key = !blank(options, "aws_access_key_id");
        boolean secret = !blank(options, "aws_secret_access_key");
        if (key && !secret) {
            problems.add("aws_secret_access_key: required together with aws_access_key_id");
        } else if (secret && !key) {
            problems.add("aws_access_key_id: required together with aws_secret_access_key");
        }
        if (!key && !blank(options, "aws_session_token")) {
            problems.add("aws_session_token: only meaningful with aws_access_key_id and aws_secret_access_key");
        }
        if (!key && !secret && blank(options, "api_key")) {
            problems.add("aws_access_key_id: AWS credentials for bedrock: aws_access_key_id and aws_secret_access_key"
                    + " (with aws_session_token for temporary ones), e.g. \"${AWS_ACCESS_KEY_ID}\", or a Bedrock API key"
                    + " as api_key, or a virtual key (\"provider\": \"@name\")");
        }
        return problems;
    }

    @Override
    public Set<String> secretKeys(String providerId) {
        return Set.of("aws_access_key_id", "aws_secret_access_key", "aws_session_token");
    }

    @Override
    public boolean supports(String providerId, Endpoint endpoint) {
        return endpoint == Endpoint.CHAT_COMPLETIONS
                || endpoint == Endpoint.EMBEDDINGS
                || endpoint == Endpoint.IMAGES_GENERATIONS;
    }

    @Override
    public UpstreamRequest prepare(ProviderCall call) {
        String region = call.option("aws_region");
        if (region == null) {
            throw new ProviderException("aws_region: required for bedrock");
        }
        String model = call.body().path("model").asText("");
        if (model.isBlank()) {
            throw new ProviderException("model: required (a Bedrock model id, inference profile id or ARN)");
        }
        String base = call.baseUrl("https://bedrock-runtime." + region + ".amazonaws.com");
        String modelPath = base + "/model/" + SigV4Signer.uriEncode(model.getBytes(StandardCharsets.UTF_8));
        URI uri;
        byte[] body;
        String accept;
        if (call.endpoint() == Endpoint.EMBEDDINGS) {
            uri = URI.create(modelPath + "/invoke");
            body = Json.bytes(BedrockEmbeddings.request(call, model));
            accept = "application/json";
        } else if (call.endpoint() == Endpoint.IMAGES_GENERATIONS) {
            uri = URI.create(modelPath + "/invoke");
            body = Json.bytes(BedrockImages.request(call, model));
            accept = "application/json";
        } else if (call.endpoint() == Endpoint.CHAT_COMPLETIONS) {
            uri = URI.create(modelPath + (call.isStream() ? "/converse-stream" : "/converse"));
            body = Json.bytes(ConverseRequestMapper.map(call).body());
            accept = call.isStream() ? "application/vnd.amazon.eventstream" : "application/json";
        } else {
            throw new ProviderException(404, "invalid_request_error", "bedrock does not support " + call.endpoint());
        }
        Map<String, String> headers = UpstreamHeaders.json(call);
        headers.keySet().removeIf(PROTECTED_HEADERS::contains);
        headers.put("accept", accept);
        sign(call, region, uri, headers, body);
        return UpstreamRequest.post(uri, headers, body);
    }

    private static void sign(ProviderCall call, String region, URI uri, Map<String, String> headers, byte[] body) {
        String keyId = call.option("aws_access_key_id");
        String secret = call.option("aws_secret_access_key");
        if (keyId == null || secret == null) {
            String apiKey = call.apiKey();
            if (apiKey == null) {
                throw new ProviderException(
                        401,
                        "authentication_error",
                        "bedrock needs aws_access_key_id and aws_secret_access_key (or a Bedrock API key as api_key)");
            }
            headers.put("authorization", "Bearer " + apiKey);
            return;
        }
        List<Map.Entry<String, String>> signed = new ArrayList<>();
        headers.forEach((k, v) -> {
            if (k.equals("content-type") || k.startsWith("x-amz-")) {
                signed.add(Map.entry(k, v));
            }
        });
        AwsCredentials creds = new AwsCredentials(keyId, secret, call.option("aws_session_token"));
        SigV4Signature sig = SigV4Signer.of(region, SERVICE)
                .sign(
                        SigningRequest.of("POST", uri, signed, body),
                        creds,
                        call.clock().instant());
        sig.headersToAdd().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    }

    @Override
    public ProviderReply translate(ProviderCall call, HttpReply reply) {
        if (!reply.isSuccess()) {
            return BedrockErrors.translate(reply);
        }
        ObjectNode json = reply.isStreamed() ? null : UpstreamJson.parseObject(reply.body());
        if (json == null) {
            return OpenAiErrors.invalidResponse(
                    ID,
                    reply.isStreamed()
                            ? "body is not JSON (content-type "
                                    + reply.header("content-type").orElse("none") + ")"
                            : "body is not a JSON object: " + UpstreamJson.excerpt(reply.body()));
        }
        String model = call.body().path("model").asText("");
        if (call.endpoint() == Endpoint.IMAGES_GENERATIONS) {
            return BedrockImages.response(call, json);
        }
        if (call.endpoint() == Endpoint.EMBEDDINGS) {
            ObjectNode out = BedrockEmbeddings.response(json, reply, model);
            return out == null ? OpenAiErrors.invalidResponse(ID, "no embedding in the answer") : ProviderReply.ok(out);
        }
        if (!json.path("output").path("message").isObject()) {
            return OpenAiErrors.invalidResponse(ID, "converse answer has no output.message");
        }
        String requestId = reply.header("x-amzn-requestid").orElse(null);
        String id = "chatcmpl-" + (requestId == null || requestId.isBlank() ? UUID.randomUUID() : requestId);
        return ProviderReply.ok(ConverseResponseMapper.toChatCompletion(
                json, id, model, call.clock().instant().getEpochSecond(), jsonToolOf(call.body())));
    }

    @Override
    public StreamTranslator streamTranslator(ProviderCall call) {
        ChunkBuilder chunks = new ChunkBuilder(
                "chatcmpl-" + UUID.randomUUID(),
                call.body().path("model").asText(""),
                call.clock().instant().getEpochSecond());
        boolean includeUsage =
                call.body().path("stream_options").path("include_usage").asBoolean(false);
        return new ConverseStreamTranslator(chunks, includeUsage, jsonToolOf(call.body()));
    }

    /** The response_format emulation tool name when the request asked for JSON output, else null. */
    private static String jsonToolOf(JsonNode body) {
        String type = body.path("response_format").path("type").asText("");
        return type.equals("json_schema") || type.equals("json_object") ? ConverseRequestMapper.JSON_TOOL : null;
    }

    private static boolean blank(ObjectNode options, String name) {
        JsonNode n = options.get(name);
        return n == null || n.isNull() || n.asText().isBlank();
    }

    @Override
    public String toString() {
        return "BedrockProvider";
    }
}
