package dev.switchboard.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;

/**
 * A request or answer body of any kind: a JSON tree (the fast path: the tree itself, never
 * serialised until it goes on the wire), a multipart form ({@link MultipartBody}: fields and file
 * parts, streamed and replayable), raw bytes with a content type ({@link BytesBody}), or bytes
 * streamed as they arrive ({@link StreamedBody}: a binary download such as audio). Streamed
 * server-sent events are not a body: they are an {@link EventStream}.
 *
 * <pre>{@code
 * Body json = Body.json(Json.object().put("model", "tts-1"));
 * Body audio = Body.bytes(wav, "audio/wav");
 * Body form = MultipartBody.builder().field("model", "whisper-1")
 *         .file("file", Path.of("talk.wav"), "audio/wav").build();
 * }</pre>
 */
public sealed interface Body permits JsonBody, MultipartBody, BytesBody, StreamedBody {
    /** {@return the {@code Content-Type} of the wire form, e.g. {@code multipart/form-data; boundary=...}} */
    String contentType();

    /**
     * The length of the wire form in bytes, when it is known without reading the content.
     *
     * @return the length, or -1 when unknown (a stream of unknown length)
     */
    long contentLength();

    /**
     * Opens the wire form. A replayable body ({@link #replayable()}) gives the same bytes each time;
     * a {@link StreamedBody} can be opened once.
     *
     * @return a fresh stream over the bytes; the caller closes it
     * @throws java.io.UncheckedIOException when a file or spooled part cannot be read
     * @throws IllegalStateException        when a one-shot body was opened before
     */
    InputStream openStream();

    /** {@return whether {@link #openStream()} can be called again (a retry can resend this body)} */
    boolean replayable();

    /**
     * A JSON body.
     *
     * @param json the object, not copied
     * @return the body
     */
    static JsonBody json(ObjectNode json) {
        return new JsonBody(json);
    }

    /**
     * A body of raw bytes.
     *
     * @param bytes       the bytes, not copied
     * @param contentType their content type, e.g. {@code audio/mpeg}
     * @return the body
     */
    static BytesBody bytes(byte[] bytes, String contentType) {
        return new BytesBody(bytes, contentType);
    }

    /**
     * A body read once from a stream (a download on its way).
     *
     * @param in          the bytes; closing the body closes it
     * @param contentType their content type
     * @param length      the length when known (e.g. from {@code Content-Length}), else -1
     * @return the body
     */
    static StreamedBody stream(InputStream in, String contentType, long length) {
        return new StreamedBody(in, contentType, length);
    }
}
