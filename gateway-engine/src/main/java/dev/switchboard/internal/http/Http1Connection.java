package dev.switchboard.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 connection: a blocking {@link SocketChannel} (an interruptible channel: interrupting
 * a thread blocked on it closes it), with TLS as an {@link SSLSocket} layered over the channel's
 * socket adaptor, whose reads and writes go through the channel and so are interruptible too. It
 * owns a read buffer ({@link #buf}, {@link #pos} to {@link #lim}) that the parsers read in place,
 * and a growable buffer for the request head. Used by one exchange at a time; {@link #close()} may
 * come from any thread and ends a blocked read or write.
 */
final class Http1Connection {
    /** The read buffer's usual size. */
    static final int BUFFER_SIZE = 16 * 1024;

    final Http1Pool.Route route;
    private final SocketChannel channel;
    private final SSLSocket tls;
    private final InputStream tlsIn;
    private final OutputStream tlsOut;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The read buffer: unread bytes are {@code buf[pos..lim)}. */
    byte[] buf = new byte[BUFFER_SIZE];

    int pos;
    int lim;
    private ByteBuffer view = ByteBuffer.wrap(buf);

    /** The request head being written. */
    private byte[] head = new byte[1024];

    private int headLen;

    /** Bytes received since {@link #startExchange()}. */
    long received;

    /** Exchanges started on this connection. */
    int exchanges;

    /** When it went idle in the pool, on the pool's clock. */
    long idleSince;

    private Http1Connection(Http1Pool.Route route, SocketChannel channel, SSLSocket tls) throws IOException {
        this.route = route;
        this.channel = channel;
        this.tls = tls;
        this.tlsIn = tls == null ? null : tls.getInputStream();
        this.tlsOut = tls == null ? null : tls.getOutputStream();
    }

    /**
     * Connects (and for {@code https} completes the TLS handshake) within {@code timeoutMs}.
     *
     * @throws HttpConnectTimeoutException the connect or handshake took longer
     * @throws ConnectException            the connection was refused
     * @throws ClosedByInterruptException  the thread was interrupted (its interrupt status stays set)
     */
    static Http1Connection open(Http1Pool.Route route, int timeoutMs, SSLContext ssl) throws IOException {
        long start = System.nanoTime();
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress address = new InetSocketAddress(route.connectHost, route.port);
            if (address.isUnresolved()) {
                throw new UnknownHostException("connect to " + route.where + " failed: the host is unknown");
            }
            ch.socket().connect(address, timeoutMs);
        } catch (SocketTimeoutException e) {
            close(ch);
            throw connectTimeout(route, timeoutMs, "");
        } catch (ConnectException e) {
            close(ch);
            ConnectException c = new ConnectException("connect to " + route.where + " failed: " + e.getMessage());
            c.initCause(e);
            throw c;
        } catch (UnresolvedAddressException e) {
            close(ch);
            throw new UnknownHostException("connect to " + route.where + " failed: the host is unknown");
        } catch (IOException | RuntimeException | Error e) {
            close(ch);
            throw e;
        }
        if (!route.tls) {
            return new Http1Connection(route, ch, null);
        }
        SSLSocket s = null;
        try {
            s = (SSLSocket) ssl.getSocketFactory().createSocket(ch.socket(), route.connectHost, route.port, true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // hostname verification
            s.setSSLParameters(p); // SNI: the factory sets the host name given above when it is not an address
            long left = timeoutMs - (System.nanoTime() - start) / 1_000_000;
            s.setSoTimeout((int) Math.max(1, left));
            s.startHandshake();
            s.setSoTimeout(0);
            return new Http1Connection(route, ch, s);
        } catch (SocketTimeoutException e) {
            closeQuietly(s, ch);
            throw connectTimeout(route, timeoutMs, " (TLS handshake)");
        } catch (SSLHandshakeException e) {
            closeQuietly(s, ch);
            if (Thread.currentThread().isInterrupted()) {
                throw new ClosedByInterruptException();
            }
            SSLHandshakeException h =
                    new SSLHandshakeException("TLS handshake with " + route.where + " failed: " + e.getMessage());
            h.initCause(e);
            throw h;
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(s, ch);
            throw e;
        }
    }

    private static HttpConnectTimeoutException connectTimeout(Http1Pool.Route route, int ms, String what) {
        return new HttpConnectTimeoutException("connect to " + route.where + " timed out after " + ms + " ms" + what);
    }

    /** Resets the per-exchange counters. */
    void startExchange() {
        received = 0;
        exchanges++;
    }

    /** {@return whether this connection served an exchange before the current one} */
    boolean reused() {
        return exchanges > 1;
    }

    // ---- reading

    /**
     * Reads more bytes into the buffer after {@link #lim}, compacting it first when it is full;
     * blocks until at least one byte came.
     *
     * @return the bytes read, or -1 at the end of the stream
     */
    int fill() throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        } else if (lim == buf.length && pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        if (lim == buf.length) {
            throw new IllegalStateException("the read buffer is full");
        }
        int n = read(buf, lim, buf.length - lim);
        if (n > 0) {
            lim += n;
        }
        return n;
    }

    /** Grows the read buffer to at least {@code size} bytes (a long header line). */
    void grow(int size) {
        if (size > buf.length) {
            byte[] b = new byte[Math.max(size, buf.length * 2)];
            System.arraycopy(buf, pos, b, 0, lim - pos);
            lim -= pos;
            pos = 0;
            buf = b;
            view = ByteBuffer.wrap(buf);
        }
    }

    /**
     * Finds the end of the next line: the index of its LF in the buffer, reading as needed.
     *
     * @param maxLine the longest line accepted, LF included
     * @param block   whether to read from the socket when no whole line is buffered
     * @return the LF's index; -1 when not blocking and no whole line is buffered; -2 at the end of
     *     the stream; -3 when the line is longer than {@code maxLine}
     */
    int lineEnd(int maxLine, boolean block) throws IOException {
        int scanned = 0; // bytes after pos already scanned
        for (; ; ) {
            for (int i = pos + scanned; i < lim; i++) {
                if (buf[i] == '\n') {
                    return i - pos + 1 > maxLine ? -3 : i;
                }
            }
            scanned = lim - pos;
            if (scanned >= maxLine) {
                return -3;
            }
            if (!block) {
                return -1;
            }
            if (pos > 0 && lim == buf.length) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            if (lim == buf.length) {
                grow(Math.min(buf.length * 2, maxLine + 1));
            }
            if (fill() < 0) {
                return -2;
            }
        }
    }

    /** Reads at most {@code len} bytes into {@code dst}, bypassing the buffer; blocks for at least one. */
    int read(byte[] dst, int off, int len) throws IOException {
        int n;
        try {
            if (tls != null) {
                n = tlsIn.read(dst, off, len);
            } else if (dst == buf) {
                view.limit(off + len).position(off);
                n = channel.read(view);
            } else {
                n = channel.read(ByteBuffer.wrap(dst, off, len));
            }
        } catch (IOException e) {
            throw failed("reading the answer from ", e);
        }
        if (n > 0) {
            received += n;
        }
        return n;
    }

    /** Reads exactly {@code len} bytes into {@code dst}: first the buffered ones, then from the socket. */
    int readFully(byte[] dst, int off, int len) throws IOException {
        int k = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, dst, off, k);
        pos += k;
        int done = k;
        while (done < len) {
            int n = read(dst, off + done, len - done);
            if (n < 0) {
                return done;
            }
            done += n;
        }
        return done;
    }

    // ---- writing

    /** Starts a new request head. */
    void headReset() {
        headLen = 0;
    }

    private void ensureHead(int more) {
        if (headLen + more > head.length) {
            head = java.util.Arrays.copyOf(head, Math.max(head.length * 2, headLen + more));
        }
    }

    void headPut(byte[] b) {
        ensureHead(b.length);
        System.arraycopy(b, 0, head, headLen, b.length);
        headLen += b.length;
    }

    /** Appends an ASCII string (callers validated it or it comes from a {@code URI}'s raw form). */
    void headPutAscii(String s) {
        int n = s.length();
        ensureHead(n);
        byte[] h = head;
        int at = headLen;
        for (int i = 0; i < n; i++) {
            h[at++] = (byte) s.charAt(i);
        }
        headLen = at;
    }

    /**
     * Appends a header field value as ISO-8859-1; a CR, LF or NUL (a header injection) or a
     * character above U+00FF is refused, naming the header, never its value.
     */
    void headPutValue(String name, String value) {
        int n = value.length();
        ensureHead(n);
        byte[] h = head;
        int at = headLen;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) {
                throw new IllegalArgumentException("request header '" + name + "' has "
                        + (c > 0xFF ? "a character outside ISO-8859-1" : "a line break or NUL") + " in its value");
            }
            h[at++] = (byte) c;
        }
        headLen = at;
    }

    void headPutByte(int b) {
        ensureHead(1);
        head[headLen++] = (byte) b;
    }

    void headPutDecimal(long v) {
        headPutAscii(Long.toString(v));
    }

    int headLength() {
        return headLen;
    }

    /** Sends the head, then {@code body} (may be null), as one write where it can. */
    void writeHead(byte[] body, int bodyLen) throws IOException {
        try {
            if (tls != null) {
                if (body != null && bodyLen <= BUFFER_SIZE) {
                    ensureHead(bodyLen);
                    System.arraycopy(body, 0, head, headLen, bodyLen);
                    tlsOut.write(head, 0, headLen + bodyLen);
                } else {
                    tlsOut.write(head, 0, headLen);
                    if (body != null) {
                        tlsOut.write(body, 0, bodyLen);
                    }
                }
                tlsOut.flush();
            } else if (body == null || bodyLen == 0) {
                writeFully(ByteBuffer.wrap(head, 0, headLen));
            } else {
                ByteBuffer[] both = {ByteBuffer.wrap(head, 0, headLen), ByteBuffer.wrap(body, 0, bodyLen)};
                while (both[1].hasRemaining()) {
                    channel.write(both); // a gathering write: one syscall for head and body
                }
            }
        } catch (IOException e) {
            throw failed("sending the request to ", e);
        }
    }

    /** Sends body bytes. */
    void write(byte[] b, int off, int len) throws IOException {
        try {
            if (tls != null) {
                tlsOut.write(b, off, len);
                tlsOut.flush();
            } else {
                writeFully(ByteBuffer.wrap(b, off, len));
            }
        } catch (IOException e) {
            throw failed("sending the request to ", e);
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /**
     * A JDK I/O error with the place added; an interrupt's {@link ClosedByInterruptException} and a
     * close's {@link java.nio.channels.AsynchronousCloseException} stay as they are.
     */
    private IOException failed(String doing, IOException e) {
        if (e instanceof java.nio.channels.ClosedChannelException) {
            return e;
        }
        if (closed.get() || Thread.currentThread().isInterrupted()) {
            return e;
        }
        String m = e.getMessage();
        return new IOException(
                doing + route.where + " failed: " + (m == null ? e.getClass().getSimpleName() : m), e);
    }

    // ---- closing

    /** {@return whether {@link #close()} was called} */
    boolean isClosed() {
        return closed.get();
    }

    /** {@return whether the channel is still open (an interrupt closes it without {@link #close()})} */
    boolean isOpen() {
        return !closed.get() && channel.isOpen();
    }

    /** Closes the connection, ending any blocked read or write; idempotent, any thread. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(tls, channel);
        }
    }

    /**
     * Closes the channel first: that ends at once any read or write blocked on it (and releases the
     * TLS engine's locks); the TLS socket's own close then only fails to send its close_notify.
     */
    private static void closeQuietly(SSLSocket s, SocketChannel ch) {
        close(ch);
        if (s != null) {
            try {
                s.close();
            } catch (IOException | RuntimeException e) {
                // closed anyway
            }
        }
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    @Override
    public String toString() {
        return "Http1Connection{" + (route.tls ? "https://" : "http://") + route.where + ", exchanges=" + exchanges
                + (closed.get() ? ", closed" : "") + "}";
    }
}
