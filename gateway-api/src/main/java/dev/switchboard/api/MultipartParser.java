package dev.switchboard.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A streaming {@code multipart/form-data} reader (RFC 7578 over RFC 2046): one pass over the body with
 * a buffer of at most 64 KiB plus the delimiter; part contents never held whole unless they fit the
 * memory limit. Malformed input is an {@link IllegalArgumentException} naming the problem and the
 * byte offset, never part contents.
 */
final class MultipartParser {
    private static final int BUFFER = 64 * 1024;
    /** The most bytes of part headers (all lines of one part together). */
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Text fields are held in memory: up to the memory limit, and never refused below 1 MiB. */
    static final long MIN_FIELD_LIMIT = 1L << 20;

    private final InputStream in;
    /** "\r\n--" + boundary: every delimiter, the first one included (the body is read as if it began with CRLF). */
    private final byte[] delimiter;

    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    /** Bytes of the body consumed before {@code buf[0]} (for offsets in messages; minus the virtual CRLF). */
    private long consumedBefore = -2;

    private MultipartParser(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.buf = new byte[BUFFER + delimiter.length + 4];
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
    }

    static MultipartBody parse(InputStream body, String contentType, long memoryLimit) {
        if (memoryLimit < 0) {
            throw new IllegalArgumentException("memoryLimit must be >= 0, found " + memoryLimit);
        }
        String boundary = boundary(contentType);
        MultipartParser p = new MultipartParser(body, boundary);
        MultipartBody.Assembly assembly = new MultipartBody.Assembly(memoryLimit);
        try {
            p.read(assembly, memoryLimit);
            return assembly.build(boundary);
        } catch (Malformed e) {
            assembly.discard();
            throw new IllegalArgumentException(e.getMessage());
        } catch (UncheckedIOException e) {
            assembly.discard();
            if (e.getCause() instanceof Malformed m) {
                throw new IllegalArgumentException(m.getMessage());
            }
            throw e;
        } catch (IOException e) {
            assembly.discard();
            throw new UncheckedIOException("multipart body could not be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            assembly.discard();
            throw e;
        }
    }

    /** The boundary parameter of a {@code multipart/form-data} content type. */
    static String boundary(@Nullable String contentType) {
        if (contentType == null) {
            throw new IllegalArgumentException(
                    "multipart body: no Content-Type, expected multipart/form-data; boundary=...");
        }
        String[] pieces = contentType.split(";");
        String type = pieces[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("multipart/form-data")) {
            throw new IllegalArgumentException("multipart body: Content-Type is \"" + excerpt(type)
                    + "\", expected multipart/form-data; boundary=...");
        }
        for (int i = 1; i < pieces.length; i++) {
            String piece = pieces[i].trim();
            int eq = piece.indexOf('=');
            if (eq > 0 && piece.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String b = piece.substring(eq + 1).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (b.isEmpty()
                        || b.length() > 70
                        || !b.matches("[0-9A-Za-z'()+_,\\-./:=? ]*[0-9A-Za-z'()+_,\\-./:=?]")) {
                    throw new IllegalArgumentException("multipart body: the boundary parameter has " + b.length()
                            + " characters, expected 1 to 70 characters of [0-9A-Za-z'()+_,-./:=? ] (RFC 2046)");
                }
                return b;
            }
        }
        throw new IllegalArgumentException(
                "multipart body: Content-Type multipart/form-data has no boundary parameter, expected"
                        + " multipart/form-data; boundary=...");
    }

    private void read(MultipartBody.Assembly assembly, long memoryLimit) throws IOException {
        long fieldLimit = Math.max(memoryLimit, MIN_FIELD_LIMIT);
        // the preamble: everything up to the first delimiter is ignored
        PartStream preamble = new PartStream();
        preamble.transferTo(OutputStreamSink.NULL);
        if (!afterDelimiter()) {
            return; // "--boundary--" right away: a form without parts
        }
        int index = 0;
        while (true) {
            Map<String, String> headers = headers(index);
            String disposition = headers.get("content-disposition");
            if (disposition == null) {
                throw new Malformed("part " + index + " (at byte " + offset()
                        + ") has no Content-Disposition header, expected Content-Disposition: form-data; name=\"...\"");
            }
            Map<String, String> params = dispositionParams(disposition, index);
            String name = params.get("name");
            if (name == null) {
                throw new Malformed("part " + index + ": Content-Disposition has no name parameter, expected"
                        + " form-data; name=\"...\"");
            }
            String filename = params.containsKey("filename*") ? params.get("filename*") : params.get("filename");
            String partType = headers.get("content-type");
            if (filename == null
                    && partType != null
                    && !partType.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
                filename = ""; // RFC 7578 §4.2: the filename is optional; a typed, non-text part is a file
            }
            PartStream content = new PartStream();
            if (filename != null) {
                assembly.file(name, filename, headers.get("content-type"), content);
                if (!content.ended) {
                    content.transferTo(OutputStreamSink.NULL); // a Spool always reads to the end; defensive
                }
            } else {
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                byte[] chunk = new byte[8192];
                int n;
                while ((n = content.read(chunk)) >= 0) {
                    text.write(chunk, 0, n);
                    if (text.size() > fieldLimit) {
                        throw new Malformed(
                                "text field \"" + excerpt(name) + "\" is larger than " + fieldLimit
                                        + " bytes, expected a field that fits the memory limit (send large content as a file part)");
                    }
                }
                assembly.field(name, text.toString(StandardCharsets.UTF_8));
            }
            index++;
            if (!afterDelimiter()) {
                return;
            }
        }
    }

    /**
     * After a delimiter: {@code --} closes the body (false); else optional spaces and tabs then CRLF
     * start the next part (true).
     */
    private boolean afterDelimiter() throws IOException {
        ensure(2);
        if (limit - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
            pos += 2;
            return false; // the epilogue is ignored
        }
        while (true) {
            ensure(2);
            if (limit - pos < 2) {
                throw truncated("after a boundary");
            }
            byte b = buf[pos];
            if (b == ' ' || b == '\t') {
                pos++;
                continue;
            }
            if (b == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return true;
            }
            throw new Malformed("at byte " + offset() + ": found a character after the boundary, expected CRLF or"
                    + " \"--\" (is the boundary also a prefix of a line inside a part?)");
        }
    }

    /** Header lines up to the empty line; names lower-cased. */
    private Map<String, String> headers(int index) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String previous = null;
        while (true) {
            line.reset();
            while (true) {
                ensure(1);
                if (pos >= limit) {
                    throw truncated("in the headers of part " + index);
                }
                byte b = buf[pos++];
                if (++total > MAX_HEADER_BYTES) {
                    throw new Malformed("part " + index + ": headers longer than " + MAX_HEADER_BYTES
                            + " bytes, expected a few short header lines ending in an empty line");
                }
                if (b == '\n') {
                    break;
                }
                line.write(b);
            }
            byte[] bytes = line.toByteArray();
            int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            if (len == 0) {
                return headers;
            }
            String text = new String(bytes, 0, len, StandardCharsets.UTF_8);
            if ((text.charAt(0) == ' ' || text.charAt(0) == '\t') && previous != null) {
                headers.merge(previous, " " + text.trim(), String::concat); // obsolete line folding
                continue;
            }
            int colon = text.indexOf(':');
            if (colon <= 0) {
                throw new Malformed("part " + index + ": a header line without ':' before byte " + offset()
                        + ", expected \"Name: value\" lines then an empty line");
            }
            previous = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.put(previous, text.substring(colon + 1).trim());
        }
    }

    /** The parameters of {@code form-data; name="a"; filename="b.txt"}; names lower-cased. */
    static Map<String, String> dispositionParams(String value, int index) throws Malformed {
        Map<String, String> params = new LinkedHashMap<>();
        int i = value.indexOf(';');
        String type = (i < 0 ? value : value.substring(0, i)).trim();
        if (!type.equalsIgnoreCase("form-data")) {
            throw new Malformed("part " + index + ": Content-Disposition is \"" + excerpt(type)
                    + "\", expected form-data (RFC 7578)");
        }
        while (i >= 0 && i < value.length()) {
            i++; // past ';'
            while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            StringBuilder v = new StringBuilder();
            if (j < value.length() && value.charAt(j) == '"') {
                j++;
                boolean closed = false;
                while (j < value.length()) {
                    char c = value.charAt(j);
                    if (c == '\\' && j + 1 < value.length()) {
                        v.append(value.charAt(j + 1));
                        j += 2;
                        continue;
                    }
                    if (c == '"') {
                        closed = true;
                        j++;
                        break;
                    }
                    v.append(c);
                    j++;
                }
                if (!closed) {
                    throw new Malformed("part " + index + ": Content-Disposition parameter \"" + excerpt(key)
                            + "\" has an unclosed quoted value, expected a closing '\"'");
                }
                i = value.indexOf(';', j);
            } else {
                int end = value.indexOf(';', j);
                v.append((end < 0 ? value.substring(j) : value.substring(j, end)).trim());
                i = end;
            }
            String text = v.toString();
            if (key.equals("filename*")) {
                text = extValue(text);
            } else {
                // browsers (WHATWG) and MultipartBody's encoder write these three as percent escapes
                text = text.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n");
            }
            params.put(key, text);
        }
        return params;
    }

    /** RFC 5987 {@code UTF-8''percent-encoded}; other text as is. */
    private static String extValue(String v) {
        int q = v.indexOf("''");
        if (q < 0) {
            return v;
        }
        try {
            return URLDecoder.decode(v.substring(q + 2).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return v;
        }
    }

    /** Fills the buffer until {@code n} bytes are available past {@code pos} or the input ends. */
    private void ensure(int n) throws IOException {
        if (limit - pos >= n || eof) {
            return;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            consumedBefore += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit - pos < n && !eof) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
    }

    private long offset() {
        return Math.max(0, consumedBefore + pos);
    }

    private Malformed truncated(String where) {
        return new Malformed("the body ends at byte " + offset() + " " + where
                + ", expected the closing boundary \"--<boundary>--\" (a truncated upload?)");
    }

    private static String excerpt(String s) {
        String clean = s.replaceAll("[\\p{Cntrl}]", "?");
        return clean.length() <= 40 ? clean : clean.substring(0, 40) + "…";
    }

    /** One part's content: the bytes up to the next delimiter, which it consumes. */
    private final class PartStream extends InputStream {
        boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            ensure(delimiter.length);
            int found = indexOfDelimiter();
            if (found == pos) {
                pos += delimiter.length;
                ended = true;
                return -1;
            }
            int available;
            if (found > 0) {
                available = found - pos;
            } else if (eof) {
                throw truncated("inside a part");
            } else {
                // keep a tail that may be the start of a delimiter
                available = Math.max(0, limit - pos - (delimiter.length - 1));
                if (available == 0) {
                    ensure(limit - pos + 1);
                    return read(b, off, len);
                }
            }
            int n = Math.min(len, available);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        private int indexOfDelimiter() {
            int last = limit - delimiter.length;
            outer:
            for (int i = pos; i <= last; i++) {
                for (int k = 0; k < delimiter.length; k++) {
                    if (buf[i + k] != delimiter[k]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /** A sink that drops what it is given. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink NULL = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }

    /** Malformed input; an IOException so it crosses the spooling code, turned into an IllegalArgumentException. */
    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }
}
