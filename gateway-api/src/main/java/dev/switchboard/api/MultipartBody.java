package dev.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * A {@code multipart/form-data} body (RFC 7578): text fields and file parts, encoded as it is sent
 * and never held whole in memory. Every part can be sent again (a retry, a fallback's next target)
 * byte for byte: bytes and files are read again, a reopenable source is reopened, and a one-shot
 * {@link InputStream} is spooled on first use — up to {@link Builder#memoryLimit} bytes in memory,
 * the rest to a temporary file, deleted by {@link #close()} (or, as a safety net, once the body is
 * unreachable).
 *
 * <p>Conditions, hooks and the cache see the text fields as {@code params.*} ({@link #fieldsAsJson()}).
 *
 * <pre>{@code
 * try (MultipartBody upload = MultipartBody.builder()
 *         .field("model", "whisper-1")
 *         .file("file", Path.of("talk.wav"), "audio/wav")
 *         .build()) {
 *     GatewayResponse r = gateway.execute(GatewayRequest.builder(Endpoint.AUDIO_TRANSCRIPTIONS)
 *             .body(upload).build());
 * }
 * }</pre>
 */
public final class MultipartBody implements Body, AutoCloseable {
    /** Default bytes of a one-shot stream part kept in memory before the rest goes to a temporary file: 1 MiB. */
    public static final long DEFAULT_MEMORY_LIMIT = 1L << 20;

    private static final Cleaner CLEANER = Cleaner.create();
    private static final byte[] CRLF = {'\r', '\n'};

    private final String boundary;
    private final List<Part> parts;
    private final Shared shared;

    private MultipartBody(String boundary, List<Part> parts, Shared shared) {
        this.boundary = boundary;
        this.parts = List.copyOf(parts);
        this.shared = shared;
    }

    /** {@return a builder for a new form} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a {@code multipart/form-data} request body (RFC 7578), as a server receives it: text
     * fields become fields ({@code params.*}), file parts (a part with a {@code filename}, or with a
     * {@code Content-Type} other than {@code text/plain}: its file name is then empty) are copied as they are read — up to
     * {@code memoryLimit} bytes each in memory, the rest to a temporary file that {@link #close()}
     * deletes. The form keeps the sender's boundary, and each part its name, file name and content type.
     *
     * <pre>{@code
     * try (MultipartBody form = MultipartBody.parse(in, "multipart/form-data; boundary=XyZ", 1 << 20)) {
     *     gateway.execute(GatewayRequest.builder("POST", "/v1/files").body(form).build());
     * }
     * }</pre>
     *
     * @param body        the body bytes, read to the closing delimiter (not closed)
     * @param contentType the request's {@code Content-Type}, with its {@code boundary} parameter
     * @param memoryLimit bytes of each file part kept in memory before the rest is spooled to disk;
     *                    the largest text field accepted is this or 1 MiB, whichever is larger
     * @return the form; close it to delete its temporary files
     * @throws IllegalArgumentException when the content type is not {@code multipart/form-data} with
     *                                  a boundary, or the body is malformed or truncated; the message
     *                                  names the problem and the byte offset, never part contents
     * @throws UncheckedIOException     when reading {@code body} or writing a temporary file fails
     */
    public static MultipartBody parse(InputStream body, String contentType, long memoryLimit) {
        return MultipartParser.parse(body, contentType, memoryLimit);
    }

    /** Collects parsed parts; file parts are spooled as they are added. Used by {@link MultipartParser}. */
    static final class Assembly {
        private final TempFiles files = new TempFiles();
        private final List<Part> parts = new ArrayList<>();
        private final long memoryLimit;

        Assembly(long memoryLimit) {
            this.memoryLimit = memoryLimit;
        }

        void field(String name, String value) {
            parts.add(Part.field(name, value));
        }

        /** Reads {@code content} to its end now (memory up to the limit, then a temporary file). */
        void file(
                String name,
                String filename,
                @org.jspecify.annotations.Nullable String contentType,
                InputStream content) {
            Spool s = new Spool(content);
            s.configure(memoryLimit, null, files);
            s.size();
            parts.add(new Part(name, filename, contentType == null ? BytesBody.OCTET_STREAM : contentType, null, s));
        }

        MultipartBody build(String boundary) {
            return new MultipartBody(boundary, parts, new Shared(files));
        }

        /** Deletes what was spooled so far (a parse that failed). */
        void discard() {
            files.run();
        }
    }

    /** {@return the boundary between parts} */
    public String boundary() {
        return boundary;
    }

    /** {@return the parts in wire order} */
    public List<Part> parts() {
        return parts;
    }

    /** {@return the text fields in order, each name with its values (a name may repeat)} */
    public Map<String, List<String>> fields() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Part p : parts) {
            if (!p.isFile()) {
                m.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p.value());
            }
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(m);
    }

    /**
     * The text fields as a JSON object, as conditions ({@code params.model}), hooks and the cache
     * see them: a field once is a string, a repeated field an array of strings. File parts are not in it.
     *
     * @return a new object
     */
    public ObjectNode fieldsAsJson() {
        ObjectNode o = Json.object();
        fields().forEach((name, values) -> {
            if (values.size() == 1) {
                o.put(name, values.get(0));
            } else {
                ArrayNode a = o.putArray(name);
                values.forEach(a::add);
            }
        });
        return o;
    }

    /**
     * This form with other text fields (e.g. after a target's {@code override_params} changed
     * {@code model}): fields keep their place, new ones come after the last part, absent ones are
     * dropped; file parts and the boundary are shared with this body (its spooled copies too, so
     * closing either deletes them). A string value is one field, an array one field per element,
     * another value its JSON text, null no field.
     *
     * @param newFields the fields, as {@link #fieldsAsJson()} gives them
     * @return this body when nothing changes, else the new form
     */
    public MultipartBody withFields(ObjectNode newFields) {
        if (newFields.equals(fieldsAsJson())) {
            return this;
        }
        List<Part> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (Part p : parts) {
            if (p.isFile()) {
                out.add(p);
            } else if (done.add(p.name()) && newFields.has(p.name())) {
                addFields(out, p.name(), newFields.get(p.name()));
            }
        }
        Iterator<Map.Entry<String, JsonNode>> it = newFields.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!done.contains(e.getKey())) {
                addFields(out, e.getKey(), e.getValue());
            }
        }
        return new MultipartBody(boundary, out, shared);
    }

    private static void addFields(List<Part> out, String name, JsonNode v) {
        if (v == null || v.isNull()) {
            return;
        }
        if (v.isArray()) {
            for (JsonNode e : v) {
                addFields(out, name, e);
            }
            return;
        }
        out.add(Part.field(name, v.isTextual() ? v.asText() : v.toString()));
    }

    /** {@return {@code multipart/form-data; boundary=<boundary>}} */
    @Override
    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /**
     * The encoded length. A one-shot stream part is spooled first (its length is known only then).
     *
     * @return the length, or -1 when a reopenable part did not state its length
     * @throws UncheckedIOException when spooling a part fails
     */
    @Override
    public long contentLength() {
        long n = closing().length;
        for (Part p : parts) {
            long size = p.size();
            if (size < 0) {
                return -1;
            }
            n += p.head(boundary).length + size + CRLF.length;
        }
        return n;
    }

    /**
     * Encodes the form as it is read: each part's content is opened when the encoder reaches it.
     *
     * @return the wire bytes; the same bytes on every call
     * @throws IllegalStateException when the body was closed and a spooled part is gone
     */
    @Override
    public InputStream openStream() {
        List<Supplier<InputStream>> pieces = new ArrayList<>(parts.size() * 3 + 1);
        for (Part p : parts) {
            byte[] head = p.head(boundary);
            pieces.add(() -> new ByteArrayInputStream(head));
            pieces.add(p::open);
            pieces.add(() -> new ByteArrayInputStream(CRLF));
        }
        byte[] end = closing();
        pieces.add(() -> new ByteArrayInputStream(end));
        Iterator<Supplier<InputStream>> it = pieces.iterator();
        return new SequenceInputStream(new Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return it.hasNext();
            }

            @Override
            public InputStream nextElement() {
                if (!it.hasNext()) {
                    throw new NoSuchElementException();
                }
                return it.next().get();
            }
        });
    }

    /** {@return true: every part can be read again} */
    @Override
    public boolean replayable() {
        return true;
    }

    /** {@return the bytes of one-shot stream parts this form holds in memory now (at most the memory limit each)} */
    public long bufferedBytes() {
        long n = 0;
        for (Part p : parts) {
            if (p.source instanceof Spool s) {
                n += s.memoryBytes();
            }
        }
        return n;
    }

    /** {@return the temporary files holding spooled parts now (deleted by {@link #close()})} */
    public List<Path> spoolFiles() {
        return shared.files.list();
    }

    /** Deletes the temporary files of spooled parts; the form cannot be sent again afterwards if it had any. */
    @Override
    public void close() {
        shared.cleanable.clean();
    }

    private byte[] closing() {
        return ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("MultipartBody{");
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            s.append(i == 0 ? "" : ", ").append(p.name()).append(p.isFile() ? "=<file " + p.size() + " bytes>" : "");
        }
        return s.append('}').toString();
    }

    /** One part: a text field or a file. */
    public static final class Part {
        private final String name;
        private final String filename;
        private final String contentType;
        private final String value;
        private final Source source;

        private Part(String name, String filename, String contentType, String value, Source source) {
            this.name = Objects.requireNonNull(name, "part name");
            this.filename = filename;
            this.contentType = contentType;
            this.value = value;
            this.source = source;
        }

        static Part field(String name, String value) {
            Objects.requireNonNull(value, "field value");
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            return new Part(name, null, null, value, new InMemory(bytes));
        }

        /** {@return the form field name} */
        public String name() {
            return name;
        }

        /** {@return the file name of a file part; null for a text field} */
        public String filename() {
            return filename;
        }

        /** {@return the content type of a file part; null for a text field} */
        public String contentType() {
            return contentType;
        }

        /** {@return the text of a field; null for a file part} */
        public String value() {
            return value;
        }

        /** {@return whether this is a file part} */
        public boolean isFile() {
            return filename != null;
        }

        /**
         * The content length; spools a one-shot stream part first.
         *
         * @return bytes of content, or -1 when a reopenable source did not state it
         */
        public long size() {
            return source.size();
        }

        /**
         * Opens the content (not the part's headers).
         *
         * @return a fresh stream over the content
         */
        public InputStream open() {
            return source.open();
        }

        /** {@return the content as bytes when it is in memory (a field, a bytes part); else null} */
        public byte[] bytesIfInMemory() {
            return source instanceof InMemory m ? m.bytes.clone() : null;
        }

        byte[] head(String boundary) {
            StringBuilder h = new StringBuilder("--")
                    .append(boundary)
                    .append("\r\n")
                    .append("Content-Disposition: form-data; name=\"")
                    .append(escape(name))
                    .append('"');
            if (filename != null) {
                h.append("; filename=\"").append(escape(filename)).append('"');
            }
            h.append("\r\n");
            if (contentType != null) {
                h.append("Content-Type: ").append(contentType).append("\r\n");
            }
            return h.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
        }

        /** RFC 7578 §2 and the HTML form encoding: quote, CR and LF percent-encoded in names. */
        private static String escape(String s) {
            return s.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
        }

        @Override
        public String toString() {
            return isFile() ? "Part{" + name + ", file, " + contentType + "}" : "Part{" + name + "}";
        }
    }

    /** Builds a {@link MultipartBody}. */
    public static final class Builder {
        private final List<Part> parts = new ArrayList<>();
        private final List<Spool> spools = new ArrayList<>();
        private String boundary;
        private long memoryLimit = DEFAULT_MEMORY_LIMIT;
        private Path tempDirectory;

        private Builder() {}

        /**
         * Adds a text field.
         *
         * @param name  the field name, e.g. {@code model}
         * @param value its text
         * @return this builder
         */
        public Builder field(String name, String value) {
            parts.add(Part.field(name, value));
            return this;
        }

        /**
         * Adds a file part read from disk on every send (never held in memory).
         *
         * @param name        the field name, e.g. {@code file}
         * @param file        the file; its name is the part's file name
         * @param contentType e.g. {@code audio/wav}; null for {@code application/octet-stream}
         * @return this builder
         * @throws UncheckedIOException when the file's size cannot be read
         */
        public Builder file(String name, Path file, String contentType) {
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "multipart part \"" + name + "\": cannot read the size of " + file + ": " + e.getMessage(), e);
            }
            return add(name, String.valueOf(file.getFileName()), contentType, new FileSource(file, size));
        }

        /**
         * Adds a file part from bytes in memory.
         *
         * @param name        the field name
         * @param filename    the file name sent
         * @param contentType null for {@code application/octet-stream}
         * @param content     the bytes, not copied
         * @return this builder
         */
        public Builder file(String name, String filename, String contentType, byte[] content) {
            return add(name, filename, contentType, new InMemory(Objects.requireNonNull(content, "content")));
        }

        /**
         * Adds a file part from a stream that can be read once: on first use it is spooled (up to
         * the memory limit in memory, the rest to a temporary file) so a retry can send it again.
         *
         * @param name        the field name
         * @param filename    the file name sent
         * @param contentType null for {@code application/octet-stream}
         * @param content     the stream; read to its end and closed on first use
         * @return this builder
         */
        public Builder file(String name, String filename, String contentType, InputStream content) {
            Spool s = new Spool(Objects.requireNonNull(content, "content"));
            spools.add(s);
            return add(name, filename, contentType, s);
        }

        /**
         * Adds a file part from a source opened again for each send (nothing is buffered).
         *
         * @param name        the field name
         * @param filename    the file name sent
         * @param contentType null for {@code application/octet-stream}
         * @param opener      gives the same bytes each time it is called
         * @param length      the content length, or -1 when unknown (the form is then sent chunked)
         * @return this builder
         */
        public Builder file(
                String name, String filename, String contentType, Supplier<InputStream> opener, long length) {
            return add(name, filename, contentType, new Reopened(Objects.requireNonNull(opener, "opener"), length));
        }

        private Builder add(String name, String filename, String contentType, Source source) {
            parts.add(new Part(
                    name,
                    Objects.requireNonNull(filename, "filename"),
                    contentType == null ? BytesBody.OCTET_STREAM : contentType,
                    null,
                    source));
            return this;
        }

        /**
         * Sets the boundary (default: random); RFC 2046: 1 to 70 characters, letters, digits and {@code '()+_,-./:=?}.
         *
         * @param boundary the boundary
         * @return this builder
         * @throws IllegalArgumentException when it is not a valid boundary
         */
        public Builder boundary(String boundary) {
            if (boundary == null
                    || boundary.isEmpty()
                    || boundary.length() > 70
                    || !boundary.matches("[0-9A-Za-z'()+_,\\-./:=?]+")) {
                throw new IllegalArgumentException("multipart boundary must be 1 to 70 characters of"
                        + " [0-9A-Za-z'()+_,-./:=?], found "
                        + (boundary == null ? "null" : boundary.length() + " characters"));
            }
            this.boundary = boundary;
            return this;
        }

        /**
         * Sets how many bytes of a one-shot stream part are kept in memory before the rest is
         * spooled to a temporary file.
         *
         * @param bytes at least 0; default {@link #DEFAULT_MEMORY_LIMIT}
         * @return this builder
         */
        public Builder memoryLimit(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("memoryLimit must be >= 0, found " + bytes);
            }
            this.memoryLimit = bytes;
            return this;
        }

        /**
         * Sets the directory of the spool files.
         *
         * @param dir an existing directory; null for the system temporary directory
         * @return this builder
         */
        public Builder tempDirectory(Path dir) {
            this.tempDirectory = dir;
            return this;
        }

        /** {@return the form} */
        public MultipartBody build() {
            String b = boundary != null
                    ? boundary
                    : "switchboard-"
                            + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE)
                            + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
            TempFiles files = new TempFiles();
            for (Spool s : spools) {
                s.configure(memoryLimit, tempDirectory, files);
            }
            return new MultipartBody(b, parts, new Shared(files));
        }
    }

    // ------------------------------------------------------------------ sources

    private sealed interface Source permits InMemory, FileSource, Reopened, Spool {
        long size();

        InputStream open();
    }

    private record InMemory(byte[] bytes) implements Source {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }

    private record FileSource(Path file, long size) implements Source {
        @Override
        public InputStream open() {
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException("multipart file part: cannot open " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private record Reopened(Supplier<InputStream> opener, long size) implements Source {
        @Override
        public InputStream open() {
            return Objects.requireNonNull(opener.get(), "the part's opener returned null");
        }
    }

    /** A one-shot stream, copied on first use: the head in memory, the rest in a temporary file. */
    private static final class Spool implements Source {
        private InputStream source;
        private long limit;
        private Path dir;
        private TempFiles files;
        private byte[] memory;
        private Path file;
        private long size = -1;

        Spool(InputStream source) {
            this.source = source;
        }

        void configure(long limit, Path dir, TempFiles files) {
            this.limit = limit;
            this.dir = dir;
            this.files = files;
        }

        synchronized long memoryBytes() {
            return memory == null ? 0 : memory.length;
        }

        @Override
        public synchronized long size() {
            spool();
            return size;
        }

        @Override
        public synchronized InputStream open() {
            spool();
            if (file == null) {
                return new ByteArrayInputStream(memory);
            }
            if (files.closed()) {
                throw new IllegalStateException("multipart body was closed: its spooled part is gone");
            }
            try {
                return new SequenceInputStream(new ByteArrayInputStream(memory), Files.newInputStream(file));
            } catch (IOException e) {
                throw new UncheckedIOException("multipart spool file cannot be read: " + e.getMessage(), e);
            }
        }

        private void spool() {
            if (source == null) {
                return;
            }
            try (InputStream in = source) {
                ByteArrayOutputStream head = new ByteArrayOutputStream((int) Math.min(limit, 64 * 1024));
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                int n = 0;
                while (total < limit && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - total))) >= 0) {
                    head.write(buf, 0, n);
                    total += n;
                }
                memory = head.toByteArray();
                if (n >= 0) {
                    int first = in.read(buf);
                    if (first >= 0) {
                        Path f = dir == null
                                ? Files.createTempFile("switchboard-part-", ".spool")
                                : Files.createTempFile(dir, "switchboard-part-", ".spool");
                        files.add(f);
                        try (OutputStream out = Files.newOutputStream(f)) {
                            out.write(buf, 0, first);
                            total += first;
                            int r;
                            while ((r = in.read(buf)) >= 0) {
                                out.write(buf, 0, r);
                                total += r;
                            }
                        }
                        file = f;
                    }
                }
                size = total;
                source = null;
            } catch (IOException e) {
                throw new UncheckedIOException("multipart stream part could not be spooled: " + e.getMessage(), e);
            }
        }
    }

    /** The cleanup owner every form derived by {@link #withFields} shares. */
    private static final class Shared {
        final TempFiles files;
        final Cleaner.Cleanable cleanable;

        Shared(TempFiles files) {
            this.files = files;
            this.cleanable = CLEANER.register(this, files);
        }
    }

    /** The spool files of one form; deleting them is the cleaning action (it must not reach the form). */
    private static final class TempFiles implements Runnable {
        private final List<Path> paths = new ArrayList<>();
        private boolean closed;

        synchronized void add(Path p) {
            if (closed) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
                throw new IllegalStateException("multipart body was closed");
            }
            paths.add(p);
        }

        synchronized List<Path> list() {
            return List.copyOf(paths);
        }

        synchronized boolean closed() {
            return closed;
        }

        @Override
        public synchronized void run() {
            closed = true;
            for (Path p : paths) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp file left behind is removed by the OS's temp cleaning
                }
            }
            paths.clear();
        }
    }
}
