package dev.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one HTTP/1.1 request (request line, headers, body by {@code content-length} or chunked
 * transfer coding) from a connection of {@link StubUpstream}.
 */
final class Http1RequestReader {
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 256;
    private static final int MAX_BODY = 64 * 1024 * 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private Http1RequestReader() {}

    /**
     * Reads the next request.
     *
     * @return the request, or null when the client closed the connection before sending one
     * @throws IOException when the connection fails or the request is not valid HTTP/1.1
     */
    static RecordedRequest read(InputStream in, OutputStream out) throws IOException {
        return read(in, out, new java.util.concurrent.atomic.AtomicLong());
    }

    /**
     * Reads the next request, counting body bytes in {@code received} as they arrive. A
     * {@code multipart/form-data} body with a {@code content-length} is parsed as it arrives and
     * kept only up to {@link RecordedMultipart#KEPT_PART_BYTES} (its parts' digests always).
     */
    static RecordedRequest read(InputStream in, OutputStream out, java.util.concurrent.atomic.AtomicLong received)
            throws IOException {
        String requestLine = readLine(in, true);
        while (requestLine != null && requestLine.isEmpty()) {
            // RFC 9112 §2.2: tolerate empty lines before a request line.
            requestLine = readLine(in, true);
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x request line: " + abbreviate(requestLine));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            String line = readLine(in, false);
            if (line.isEmpty()) {
                break;
            }
            if (i >= MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " request headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                // The value is not quoted: it may be a credential.
                throw new IOException("malformed header line without a name and ':' (" + line.length() + " chars)");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.merge(name, line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
            out.write(CONTINUE);
            out.flush();
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        String boundary = RecordedMultipart.boundary(headers.get("content-type"));
        String te = headers.get("transfer-encoding");
        String cl = headers.get("content-length");
        if (boundary != null
                && cl != null
                && (te == null || !te.toLowerCase(Locale.ROOT).contains("chunked"))) {
            long length;
            try {
                length = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                throw new IOException("bad content-length: " + abbreviate(cl));
            }
            if (length < 0) {
                throw new IOException("content-length out of range: " + length);
            }
            java.security.MessageDigest whole = RecordedMultipart.sha256();
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            boolean[] over = {false};
            RecordedMultipart form = RecordedMultipart.parse(new Bounded(in, length), boundary, (b, off, len) -> {
                whole.update(b, off, len);
                received.addAndGet(len);
                if (!over[0] && raw.size() + (long) len <= RecordedMultipart.KEPT_PART_BYTES) {
                    raw.write(b, off, len);
                } else if (!over[0]) {
                    over[0] = true;
                    raw.reset();
                }
            });
            return new RecordedRequest(
                    parts[0],
                    path,
                    query,
                    headers,
                    over[0] ? null : raw.toByteArray(),
                    form,
                    java.util.HexFormat.of().formatHex(whole.digest()),
                    length);
        }
        byte[] body = readBody(in, headers);
        received.addAndGet(body.length);
        if (boundary != null) {
            RecordedMultipart form =
                    RecordedMultipart.parse(new java.io.ByteArrayInputStream(body), boundary, (b, off, len) -> {});
            return new RecordedRequest(parts[0], path, query, headers, body, form, null, body.length);
        }
        return new RecordedRequest(parts[0], path, query, headers, body);
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        String te = headers.get("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            return readChunked(in);
        }
        String cl = headers.get("content-length");
        if (cl == null) {
            return new byte[0];
        }
        long length;
        try {
            length = Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            throw new IOException("bad content-length: " + abbreviate(cl));
        }
        if (length < 0 || length > MAX_BODY) {
            throw new IOException("content-length out of range: " + length);
        }
        return readExactly(in, (int) length);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in, false);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size line: " + abbreviate(sizeLine));
            }
            if (size < 0 || body.size() + (long) size > MAX_BODY) {
                throw new IOException("chunked request body too large");
            }
            if (size == 0) {
                // Skip trailer fields up to the final empty line.
                while (!readLine(in, false).isEmpty()) {
                    // ignored
                }
                return body.toByteArray();
            }
            body.write(readExactly(in, size));
            if (!readLine(in, false).isEmpty()) {
                throw new IOException("chunk data not followed by CRLF");
            }
        }
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("request body ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    /** A line without its CRLF (or bare LF); null only if {@code eofAllowed} and the stream ended first. */
    private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (eofAllowed && line.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a request");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("request line or header longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Exactly {@code length} bytes of the connection, not closing it. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("request body ended with " + left + " bytes missing");
            }
            left -= n;
            return n;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
