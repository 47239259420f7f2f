package dev.switchboard.api;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Objects;

/**
 * Raw bytes with a content type (an audio file sent as is, a binary answer already in memory).
 *
 * @param bytes       the bytes; not copied, callers must not modify them once shared
 * @param contentType their content type, e.g. {@code audio/mpeg}
 */
public record BytesBody(byte[] bytes, String contentType) implements Body {
    /** Content type of bytes whose type nobody named. */
    public static final String OCTET_STREAM = "application/octet-stream";

    /**
     * Checks the bytes are present; a null content type becomes {@value #OCTET_STREAM}.
     *
     * @param bytes       the bytes
     * @param contentType their content type; null for {@value #OCTET_STREAM}
     */
    public BytesBody {
        Objects.requireNonNull(bytes, "bytes");
        contentType = contentType == null ? OCTET_STREAM : contentType;
    }

    @Override
    public long contentLength() {
        return bytes.length;
    }

    @Override
    public InputStream openStream() {
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public boolean replayable() {
        return true;
    }

    @Override
    public String toString() {
        return "BytesBody{" + contentType + ", " + bytes.length + " bytes}";
    }
}
