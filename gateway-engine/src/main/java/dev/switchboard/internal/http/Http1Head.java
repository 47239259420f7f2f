package dev.switchboard.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A response's status line and header section, parsed from the connection's buffer in place; 1xx
 * interim responses are skipped. Header names are kept as received; values are never put in a
 * message (they can carry credentials).
 */
final class Http1Head {
    /** The largest header section accepted (status line included). */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final int ECHO_MAX = 100;

    final int status;
    /** Whether the answer was HTTP/1.1 (or later 1.x), not 1.0. */
    final boolean http11;

    final Map<String, List<String>> headers;
    /** The declared content-length, -1 when absent. */
    final long contentLength;

    final boolean chunked;
    /** Whether a transfer-encoding header was present at all. */
    final boolean transferEncoding;

    final boolean connectionClose;
    final boolean keepAlive;

    private Http1Head(
            int status,
            boolean http11,
            Map<String, List<String>> headers,
            long contentLength,
            boolean chunked,
            boolean transferEncoding,
            boolean connectionClose,
            boolean keepAlive) {
        this.status = status;
        this.http11 = http11;
        this.headers = headers;
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.transferEncoding = transferEncoding;
        this.connectionClose = connectionClose;
        this.keepAlive = keepAlive;
    }

    /** {@return whether the connection may carry another exchange once this answer's body was read to its end} */
    boolean persistent() {
        return (http11 ? !connectionClose : keepAlive && !connectionClose) && !(transferEncoding && !chunked);
    }

    /** Reads the final (non-1xx) response head from {@code c}. */
    static Http1Head read(Http1Connection c) throws IOException {
        for (; ; ) {
            Http1Head h = readOne(c);
            if (h.status >= 200 || h.status == 101) {
                return h;
            }
        }
    }

    private static Http1Head readOne(Http1Connection c) throws IOException {
        int budget = MAX_HEADER_BYTES;
        int e = c.lineEnd(budget, true);
        if (e == -2) {
            throw new IOException(c.route.where
                    + (c.received == 0
                            ? " closed the connection before the answer's headers"
                            : " closed the connection in the middle of the answer's headers"));
        }
        if (e == -3) {
            throw tooLarge(c);
        }
        byte[] b = c.buf;
        int s = c.pos;
        int end = e > s && b[e - 1] == '\r' ? e - 1 : e;
        // HTTP/1.x SSS[ reason]
        if (end - s < 12
                || b[s] != 'H'
                || b[s + 1] != 'T'
                || b[s + 2] != 'T'
                || b[s + 3] != 'P'
                || b[s + 4] != '/'
                || b[s + 5] != '1'
                || b[s + 6] != '.'
                || !digit(b[s + 7])
                || b[s + 8] != ' '
                || !digit(b[s + 9])
                || !digit(b[s + 10])
                || !digit(b[s + 11])
                || (end - s > 12 && b[s + 12] != ' ')) {
            throw new IOException("malformed status line from " + c.route.where + ": found '" + echo(b, s, e)
                    + "', expected 'HTTP/1.1 <status> ...'");
        }
        boolean http11 = b[s + 7] != '0';
        int status = (b[s + 9] - '0') * 100 + (b[s + 10] - '0') * 10 + (b[s + 11] - '0');
        budget -= e + 1 - s;
        c.pos = e + 1;

        Map<String, List<String>> headers = new LinkedHashMap<>();
        long contentLength = -1;
        boolean chunked = false;
        boolean te = false;
        boolean close = false;
        boolean keepAlive = false;
        List<String> last = null;
        for (; ; ) {
            e = c.lineEnd(budget, true);
            if (e == -2) {
                throw new IOException(c.route.where + " closed the connection in the middle of the answer's headers");
            }
            if (e == -3) {
                throw tooLarge(c);
            }
            b = c.buf; // the buffer may have grown or moved
            s = c.pos;
            end = e > s && b[e - 1] == '\r' ? e - 1 : e;
            budget -= e + 1 - s;
            c.pos = e + 1;
            if (end == s) {
                break; // the empty line
            }
            if (b[s] == ' ' || b[s] == '\t') { // obsolete line folding: part of the previous value
                if (last == null) {
                    throw new IOException("malformed header section from " + c.route.where
                            + ": a continuation line before any header");
                }
                int vs = trimStart(b, s, end);
                int ve = trimEnd(b, vs, end);
                int i = last.size() - 1;
                last.set(i, last.get(i) + " " + new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1));
                continue;
            }
            int colon = -1;
            for (int i = s; i < end; i++) {
                byte x = b[i];
                if (x == ':') {
                    colon = i;
                    break;
                }
                if (x == ' ' || x == '\t') {
                    break;
                }
            }
            if (colon <= s) {
                throw new IOException("malformed header line from " + c.route.where
                        + ": expected 'name: value' (a name without spaces, then a colon)");
            }
            int nameLen = colon - s;
            int vs = trimStart(b, colon + 1, end);
            int ve = trimEnd(b, vs, end);
            String name = new String(b, s, nameLen, StandardCharsets.ISO_8859_1);
            String value = new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1);
            List<String> values = headers.get(name);
            if (values == null) {
                values = new ArrayList<>(1);
                headers.put(name, values);
            }
            values.add(value);
            last = values;
            if (is(b, s, nameLen, "content-length")) {
                long n = parseLength(b, vs, ve);
                if (n < 0 || (contentLength >= 0 && n != contentLength)) {
                    throw new IOException("invalid content-length from " + c.route.where + ": found '"
                            + echo(b, vs, ve) + "'" + (n >= 0 ? " after " + contentLength : "")
                            + ", expected one non-negative decimal number");
                }
                contentLength = n;
            } else if (is(b, s, nameLen, "transfer-encoding")) {
                te = true;
                chunked = lastTokenIs(b, vs, ve, "chunked");
            } else if (is(b, s, nameLen, "connection")) {
                close |= hasToken(b, vs, ve, "close");
                keepAlive |= hasToken(b, vs, ve, "keep-alive");
            }
        }
        if (budget < 0) {
            throw tooLarge(c);
        }
        return new Http1Head(status, http11, headers, contentLength, chunked, te, close, keepAlive);
    }

    private static IOException tooLarge(Http1Connection c) {
        return new IOException(
                "the answer's header section from " + c.route.where + " is larger than " + MAX_HEADER_BYTES + " bytes");
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int trimStart(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int trimEnd(byte[] b, int start, int end) {
        while (end > start && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
            end--;
        }
        return end;
    }

    /** Whether {@code b[off..off+len)} is {@code lower} in any case (ASCII). */
    static boolean is(byte[] b, int off, int len, String lower) {
        if (len != lower.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int x = b[off + i];
            if (x >= 'A' && x <= 'Z') {
                x += 'a' - 'A';
            }
            if (x != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long parseLength(byte[] b, int s, int e) {
        if (s == e || e - s > 18) {
            return -1;
        }
        long n = 0;
        for (int i = s; i < e; i++) {
            if (!digit(b[i])) {
                return -1;
            }
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    /** Whether a comma-separated list has the token {@code lower} (any case). */
    private static boolean hasToken(byte[] b, int s, int e, String lower) {
        int i = s;
        while (i < e) {
            int j = i;
            while (j < e && b[j] != ',') {
                j++;
            }
            int ts = trimStart(b, i, j);
            if (is(b, ts, trimEnd(b, ts, j) - ts, lower)) {
                return true;
            }
            i = j + 1;
        }
        return false;
    }

    private static boolean lastTokenIs(byte[] b, int s, int e, String lower) {
        int j = e;
        while (j > s && b[j - 1] != ',') {
            j--;
        }
        int ts = trimStart(b, j, e);
        return is(b, ts, trimEnd(b, ts, e) - ts, lower);
    }

    /**
     * Bytes of a malformed line for a message: at most 100 characters, without the line end, each
     * byte outside printable ASCII shown as '?'.
     */
    static String echo(byte[] b, int s, int e) {
        while (e > s && (b[e - 1] == '\n' || b[e - 1] == '\r')) {
            e--;
        }
        int n = Math.min(e - s, ECHO_MAX);
        StringBuilder sb = new StringBuilder(n + 1);
        for (int i = 0; i < n; i++) {
            int x = b[s + i] & 0xFF;
            sb.append(x >= 0x20 && x < 0x7F ? (char) x : '?');
        }
        if (e - s > ECHO_MAX) {
            sb.append('…');
        }
        return sb.toString();
    }
}
