package dev.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code multipart/form-data} request body as {@link StubUpstream} parsed it (RFC 7578), part by
 * part, while it arrived: each part's size and SHA-256, and its bytes when at most
 * {@link #KEPT_PART_BYTES} (a large upload is never held in memory by the stub).
 *
 * <pre>{@code
 * RecordedMultipart form = stub.lastRequest().multipart();
 * assertEquals("whisper-1", form.field("model").orElseThrow());
 * assertArrayEquals(audio, form.part("file").orElseThrow().bytes());
 * }</pre>
 */
public final class RecordedMultipart {
    /** Parts up to this size keep their bytes: 8 MiB. */
    public static final int KEPT_PART_BYTES = 8 << 20;

    private final List<Part> parts;

    private RecordedMultipart(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /** {@return the parts in arrival order} */
    public List<Part> parts() {
        return parts;
    }

    /**
     * The first part of a name.
     *
     * @param name the form field name
     * @return the part, or empty when absent
     */
    public Optional<Part> part(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * A text field's value.
     *
     * @param name the form field name
     * @return the value decoded as UTF-8, or empty when absent
     */
    public Optional<String> field(String name) {
        return part(name).map(Part::text);
    }

    /** {@return the text fields (parts without a file name), name to value, in order} */
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Part p : parts) {
            if (p.filename() == null) {
                m.putIfAbsent(p.name(), p.text());
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "RecordedMultipart" + parts;
    }

    /**
     * One part.
     *
     * @param name        the field name
     * @param filename    the file name; null for a text field
     * @param contentType the part's content type; null when not sent
     * @param size        content bytes
     * @param sha256      lower-case hex SHA-256 of the content
     * @param bytes       the content when at most {@link #KEPT_PART_BYTES}; else null
     */
    public record Part(String name, String filename, String contentType, long size, String sha256, byte[] bytes) {
        /** {@return the content decoded as UTF-8} */
        public String text() {
            if (bytes == null) {
                throw new IllegalStateException(
                        "part \"" + name + "\" has " + size + " bytes; only its SHA-256 was kept");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Part{" + name + (filename == null ? "" : ", file " + filename) + ", " + size + " bytes}";
        }
    }

    /** The boundary parameter of a multipart content type; null when it is not {@code multipart/form-data}. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring("boundary=".length());
                return b.startsWith("\"") && b.endsWith("\"") && b.length() > 1 ? b.substring(1, b.length() - 1) : b;
            }
        }
        return null;
    }

    /**
     * Parses a form as it is read; every byte read is passed to {@code tee} first.
     *
     * @param in       exactly the body
     * @param boundary the boundary
     * @param tee      sees every body byte (raw copy, digest, progress)
     */
    static RecordedMultipart parse(InputStream in, String boundary, Tee tee) throws IOException {
        Scanner s = new Scanner(in, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), tee);
        List<Part> parts = new ArrayList<>();
        s.skipPreamble();
        while (true) {
            int a = s.next();
            int b = s.next();
            if (a == '-' && b == '-') {
                s.drain();
                return new RecordedMultipart(parts);
            }
            if (a != '\r' || b != '\n') {
                throw new IOException("multipart: boundary not followed by CRLF or --");
            }
            String name = null;
            String filename = null;
            String contentType = null;
            for (String line = s.line(); !line.isEmpty(); line = s.line()) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("multipart: malformed part header line");
                }
                String h = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String v = line.substring(colon + 1).trim();
                if (h.equals("content-disposition")) {
                    name = param(v, "name");
                    filename = param(v, "filename");
                } else if (h.equals("content-type")) {
                    contentType = v;
                }
            }
            if (name == null) {
                throw new IOException("multipart: part without a Content-Disposition name");
            }
            MessageDigest sha = sha256();
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            long size = s.content((buf, off, len) -> {
                sha.update(buf, off, len);
                if (kept.size() + (long) len <= KEPT_PART_BYTES) {
                    kept.write(buf, off, len);
                }
            });
            parts.add(new Part(
                    name,
                    filename,
                    contentType,
                    size,
                    HexFormat.of().formatHex(sha.digest()),
                    size <= KEPT_PART_BYTES ? kept.toByteArray() : null));
        }
    }

    private static String param(String disposition, String key) {
        for (String p : disposition.split(";")) {
            String t = p.trim();
            if (t.startsWith(key + "=")) {
                String v = t.substring(key.length() + 1);
                if (v.startsWith("\"") && v.endsWith("\"") && v.length() > 1) {
                    v = v.substring(1, v.length() - 1);
                }
                return v.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n");
            }
        }
        return null;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Receives bytes. */
    interface Tee {
        void accept(byte[] buf, int off, int len);
    }

    /** Reads the body in chunks, finding delimiters byte by byte ({@code \r} occurs once in a delimiter). */
    private static final class Scanner {
        private final InputStream in;
        private final byte[] delimiter;
        private final Tee tee;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int limit;

        Scanner(InputStream in, byte[] delimiter, Tee tee) {
            this.in = in;
            this.delimiter = delimiter;
            this.tee = tee;
        }

        int next() throws IOException {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit < 0) {
                    limit = 0;
                    throw new IOException("multipart: body ended before the closing boundary");
                }
                tee.accept(buf, 0, limit);
            }
            return buf[pos++] & 0xff;
        }

        /** The first delimiter has no leading CRLF: pretend one was read. */
        void skipPreamble() throws IOException {
            int k = 2;
            while (k < delimiter.length) {
                int b = next();
                if (b == (delimiter[k] & 0xff)) {
                    k++;
                } else {
                    k = b == '\r' ? 1 : 0;
                }
            }
        }

        String line() throws IOException {
            ByteArrayOutputStream l = new ByteArrayOutputStream();
            while (true) {
                int b = next();
                if (b == '\n') {
                    String s = l.toString(StandardCharsets.UTF_8);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                if (l.size() > 16 * 1024) {
                    throw new IOException("multipart: part header line too long");
                }
                l.write(b);
            }
        }

        /** Content up to the next delimiter (consumed), passed to {@code out}; returns its length. */
        long content(Tee out) throws IOException {
            byte[] chunk = new byte[64 * 1024];
            int n = 0;
            long size = 0;
            int k = 0;
            while (true) {
                int b = next();
                if (b == (delimiter[k] & 0xff)) {
                    if (++k == delimiter.length) {
                        out.accept(chunk, 0, n);
                        return size + n;
                    }
                    continue;
                }
                for (int i = 0; i < k; i++) { // a partial match was content after all
                    if (n == chunk.length) {
                        out.accept(chunk, 0, n);
                        size += n;
                        n = 0;
                    }
                    chunk[n++] = delimiter[i];
                }
                k = 0;
                if (b == (delimiter[0] & 0xff)) {
                    k = 1;
                    continue;
                }
                if (n == chunk.length) {
                    out.accept(chunk, 0, n);
                    size += n;
                    n = 0;
                }
                chunk[n++] = (byte) b;
            }
        }

        void drain() throws IOException {
            pos = limit;
            int r;
            while ((r = in.read(buf, 0, buf.length)) >= 0) {
                tee.accept(buf, 0, r);
            }
        }
    }
}
