package dev.switchboard.internal.http;

import java.io.IOException;

/**
 * A response body's framing on one connection: fixed length, chunked, until the server closes, or
 * none. {@link #read} decodes into the caller's array and returns as soon as it has some bytes
 * (what the socket had: a stream is never held back to fill a buffer).
 */
abstract class Http1Body {
    /** The longest chunk-size line or trailer line accepted. */
    static final int MAX_LINE = 8 * 1024;

    /** The most trailer bytes accepted after a chunked body. */
    static final int MAX_TRAILERS = 64 * 1024;

    final Http1Connection c;

    Http1Body(Http1Connection c) {
        this.c = c;
    }

    /**
     * Reads decoded body bytes.
     *
     * @param block whether to read the socket when nothing decodable is buffered
     * @return bytes read (at least 1 when blocking); 0 when not blocking and nothing is buffered; -1
     *     at the body's clean end
     * @throws IOException the body ended early or its framing is malformed
     */
    abstract int read(byte[] dst, int off, int len, boolean block) throws IOException;

    /** {@return whether the body ends where its framing says (not at the connection's close)} */
    abstract boolean selfDelimited();

    /** {@return a message saying the server closed the connection in the middle of the body} */
    final IOException truncated(String detail) {
        return new IOException(c.route.where + " closed the connection before the end of the answer's body" + detail);
    }

    /** No body (HEAD, 204, 304, content-length 0). */
    static final class Empty extends Http1Body {
        Empty(Http1Connection c) {
            super(c);
        }

        @Override
        int read(byte[] dst, int off, int len, boolean block) {
            return -1;
        }

        @Override
        boolean selfDelimited() {
            return true;
        }
    }

    /** A body of a declared {@code content-length}. */
    static final class Fixed extends Http1Body {
        final long length;
        long remaining;

        Fixed(Http1Connection c, long length) {
            super(c);
            this.length = length;
            this.remaining = length;
        }

        @Override
        int read(byte[] dst, int off, int len, boolean block) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            if (c.pos == c.lim) {
                if (!block) {
                    return 0;
                }
                if (c.fill() < 0) {
                    throw truncated(" (" + (length - remaining) + " of " + length + " bytes)");
                }
            }
            int k = (int) Math.min(Math.min(len, remaining), c.lim - c.pos);
            System.arraycopy(c.buf, c.pos, dst, off, k);
            c.pos += k;
            remaining -= k;
            return k;
        }

        @Override
        boolean selfDelimited() {
            return true;
        }
    }

    /** A body that ends when the server closes the connection. */
    static final class ToClose extends Http1Body {
        private boolean ended;

        ToClose(Http1Connection c) {
            super(c);
        }

        @Override
        int read(byte[] dst, int off, int len, boolean block) throws IOException {
            if (ended) {
                return -1;
            }
            if (c.pos == c.lim) {
                if (!block) {
                    return 0;
                }
                if (c.fill() < 0) {
                    ended = true;
                    return -1;
                }
            }
            int k = Math.min(len, c.lim - c.pos);
            System.arraycopy(c.buf, c.pos, dst, off, k);
            c.pos += k;
            return k;
        }

        @Override
        boolean selfDelimited() {
            return false;
        }
    }

    /** A {@code transfer-encoding: chunked} body; chunk extensions and trailers are read and ignored. */
    static final class Chunked extends Http1Body {
        private static final int SIZE = 0;
        private static final int DATA = 1;
        private static final int DATA_END = 2;
        private static final int TRAILERS = 3;
        private static final int DONE = 4;

        private int state = SIZE;
        private long chunkLeft;
        private int trailerBytes;

        Chunked(Http1Connection c) {
            super(c);
        }

        @Override
        int read(byte[] dst, int off, int len, boolean block) throws IOException {
            for (; ; ) {
                switch (state) {
                    case SIZE: {
                        int e = line(block);
                        if (e < 0) {
                            return 0;
                        }
                        chunkLeft = chunkSize(e);
                        c.pos = e + 1;
                        state = chunkLeft == 0 ? TRAILERS : DATA;
                        break;
                    }
                    case DATA: {
                        if (c.pos == c.lim) {
                            if (!block) {
                                return 0;
                            }
                            if (c.fill() < 0) {
                                throw truncated(" (in the middle of a chunk)");
                            }
                        }
                        int k = (int) Math.min(Math.min(len, chunkLeft), c.lim - c.pos);
                        System.arraycopy(c.buf, c.pos, dst, off, k);
                        c.pos += k;
                        chunkLeft -= k;
                        if (chunkLeft == 0) {
                            state = DATA_END;
                        }
                        return k;
                    }
                    case DATA_END: {
                        int e = line(block);
                        if (e < 0) {
                            return 0;
                        }
                        if (e - c.pos > 1 || (e - c.pos == 1 && c.buf[c.pos] != '\r')) {
                            throw new IOException("malformed chunked body from " + c.route.where
                                    + ": found '" + Http1Head.echo(c.buf, c.pos, e) + "' after a chunk's data,"
                                    + " expected CRLF");
                        }
                        c.pos = e + 1;
                        state = SIZE;
                        break;
                    }
                    case TRAILERS: {
                        int e = line(block);
                        if (e < 0) {
                            return 0;
                        }
                        int n = e + 1 - c.pos;
                        c.pos = e + 1;
                        if (n <= 2 && (n == 1 || c.buf[e - 1] == '\r')) {
                            state = DONE;
                            return -1;
                        }
                        trailerBytes += n;
                        if (trailerBytes > MAX_TRAILERS) {
                            throw new IOException("the trailers of the chunked answer from " + c.route.where
                                    + " are larger than " + MAX_TRAILERS + " bytes");
                        }
                        break;
                    }
                    default:
                        return -1;
                }
            }
        }

        /** The next line's LF, or -1 when not blocking and none is buffered. */
        private int line(boolean block) throws IOException {
            int e = c.lineEnd(MAX_LINE, block);
            if (e == -2) {
                throw truncated(" (its chunked framing did not end)");
            }
            if (e == -3) {
                throw new IOException("malformed chunked body from " + c.route.where + ": a chunk-size or trailer"
                        + " line is longer than " + MAX_LINE + " bytes");
            }
            return e;
        }

        /** Parses {@code hex [; extensions] CRLF} ending at {@code end} (the LF). */
        private long chunkSize(int end) throws IOException {
            byte[] b = c.buf;
            int i = c.pos;
            long size = 0;
            int digits = 0;
            for (; i < end; i++) {
                int d = Character.digit(b[i], 16);
                if (d < 0) {
                    break;
                }
                if (++digits > 15) {
                    throw new IOException("malformed chunk size from " + c.route.where + ": found '"
                            + Http1Head.echo(b, c.pos, end) + "', a chunk larger than 2^60 bytes");
                }
                size = size * 16 + d;
            }
            while (i < end && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            boolean rest = i == end || b[i] == ';' || (b[i] == '\r' && i == end - 1);
            if (digits == 0 || !rest) {
                throw new IOException("malformed chunk size from " + c.route.where + ": found '"
                        + Http1Head.echo(b, c.pos, end) + "', expected hexadecimal digits");
            }
            return size;
        }

        @Override
        boolean selfDelimited() {
            return true;
        }
    }
}
