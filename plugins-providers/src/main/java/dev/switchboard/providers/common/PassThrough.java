package dev.switchboard.providers.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Body;
import dev.switchboard.api.BytesBody;
import dev.switchboard.api.JsonBody;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderReply;
import dev.switchboard.spi.UpstreamRequest;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * A call sent to an OpenAI-format API as the caller made it: the caller's method, path (below
 * {@code /v1}), query string and body (JSON, multipart form or bytes, none for a GET or DELETE);
 * the answer back as it came — a JSON object as JSON, anything else (a file's content, audio,
 * text) as bytes with its content type, a download the engine streams as it arrives.
 *
 * <pre>{@code
 * UpstreamRequest r = PassThrough.request(call, call.baseUrl(DEFAULT_BASE_URL), headers);
 * }</pre>
 */
public final class PassThrough {
    private PassThrough() {}

    /**
     * The upstream request for {@code call}.
     *
     * @param call    the call
     * @param baseUrl the provider's base URL ending in its {@code /v1} (no trailing slash)
     * @param headers headers with credentials; a {@code content-type} in it is replaced by the body's
     * @return the request
     */
    public static UpstreamRequest request(ProviderCall call, String baseUrl, Map<String, String> headers) {
        return request(call, Uris.of(baseUrl + call.relativePathAndQuery()), headers);
    }

    /**
     * The upstream request for {@code call} sent to an address the provider computed itself (Azure's
     * deployment URLs with {@code api-version}): the caller's method and body, as made.
     *
     * @param call    the call
     * @param uri     the full upstream address, query included
     * @param headers headers with credentials; a {@code content-type} in it is replaced by the body's
     * @return the request
     */
    public static UpstreamRequest request(ProviderCall call, URI uri, Map<String, String> headers) {
        headers.remove("content-type");
        if (!call.hasBody()) {
            return new UpstreamRequest(call.method(), uri, headers, null);
        }
        Body content = call.multipart() != null ? call.multipart() : call.content();
        if (content instanceof JsonBody) {
            headers.put("content-type", JsonBody.CONTENT_TYPE);
            // the caller's own bytes when nothing rewrote the body
            return new UpstreamRequest(call.method(), uri, headers, call.jsonBytes());
        }
        return UpstreamRequest.of(call.method(), uri, headers, content);
    }

    /**
     * The answer: an error normalised to OpenAI's envelope; a 2xx JSON object as JSON; any other
     * 2xx (bytes, text, a JSON array, a streamed download) as the binary answer it is.
     *
     * @param providerId the provider id, for error messages
     * @param reply      the upstream answer
     * @return the reply
     */
    public static ProviderReply translate(String providerId, HttpReply reply) {
        if (!reply.isSuccess()) {
            return OpenAiErrors.normalize(providerId, reply);
        }
        if (reply.isStreamed()) {
            return ProviderReply.binary(reply.status(), reply.streamedBody());
        }
        String type = reply.header("content-type").orElse("application/octet-stream");
        byte[] bytes = reply.body() == null ? new byte[0] : reply.body();
        if (isJson(type)) {
            ObjectNode body = UpstreamJson.parseObject(bytes);
            if (body != null) {
                return new ProviderReply(reply.status(), body, false);
            }
        }
        return ProviderReply.binary(reply.status(), new BytesBody(bytes, type));
    }

    private static boolean isJson(String contentType) {
        int semi = contentType.indexOf(';');
        String media =
                (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.endsWith("+json");
    }
}
