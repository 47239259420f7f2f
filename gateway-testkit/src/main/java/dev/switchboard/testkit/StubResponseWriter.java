package dev.switchboard.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Writes one resolved {@link StubResponse} to a connection, including its faults (delays, cut
 * streams, resets, hangs). Every wait ends early when the stub closes.
 */
final class StubResponseWriter {
    private StubResponseWriter() {}

    /**
     * Answers the request.
     *
     * @return true when the connection can serve another request (keep-alive)
     */
    static boolean write(
            StubResponse response,
            RecordedRequest request,
            Socket socket,
            InputStream in,
            OutputStream out,
            CountDownLatch stubClosed)
            throws IOException, InterruptedException {
        if (!pause(response.delay(), stubClosed)) {
            return false;
        }
        switch (response.kind()) {
            case RESET:
                // Linger 0 makes close() send RST instead of FIN: the client sees "connection reset".
                socket.setSoLinger(true, 0);
                socket.close();
                return false;
            case HANG:
                hang(in);
                return false;
            case GENERATED:
                return writeGenerated(response, out);
            case BODY:
                return writeBody(response, request, socket, in, out);
            case STREAM:
                return writeStream(response, request, socket, in, out, stubClosed);
            default:
                throw new IllegalStateException("unresolved response " + response);
        }
    }

    /** Swallows anything the client sends; returns when it disconnects or the stub closes the socket. */
    private static void hang(InputStream in) throws IOException {
        while (in.read() >= 0) {
            // nothing
        }
    }

    /** A generated body: never in memory, written until its length, or until the client goes away. */
    private static boolean writeGenerated(StubResponse response, OutputStream out) throws IOException {
        long length = response.generatedLength();
        byte[] prefix = response.generatedPrefix();
        byte[] fill = new byte[64 * 1024];
        java.util.Arrays.fill(fill, response.generatedFill());
        StringBuilder head = head(response.statusCode(), response.headers());
        head.append(length >= 0 ? "content-length: " + length + "\r\n" : "transfer-encoding: chunked\r\n");
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (length >= 0) {
            out.write(prefix, 0, (int) Math.min(prefix.length, length));
            long left = length - Math.min(prefix.length, length);
            while (left > 0) {
                int n = (int) Math.min(fill.length, left);
                out.write(fill, 0, n);
                left -= n;
            }
            out.flush();
            return false;
        }
        writeChunk(out, prefix);
        while (true) { // ends with an IOException when the client closes the connection
            writeChunk(out, fill);
        }
    }

    private static void writeChunk(OutputStream out, byte[] chunk) throws IOException {
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(chunk);
        out.write('\r');
        out.write('\n');
        out.flush();
    }

    private static boolean writeBody(
            StubResponse response, RecordedRequest request, Socket socket, InputStream in, OutputStream out)
            throws IOException {
        int status = response.statusCode();
        boolean noBody = status == 204 || status == 304 || "HEAD".equals(request.method());
        byte[] body = response.bodyFor(request);
        StringBuilder head = head(status, response.headers());
        if (status != 204 && status != 304) {
            head.append("content-length: ").append(body.length).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (response.cutAfter() >= 0) {
            out.write(body, 0, body.length / 2);
            out.flush();
            if (response.stalls()) {
                hang(in);
            }
            socket.close();
            return false;
        }
        if (!noBody) {
            out.write(body);
        }
        out.flush();
        return keepAlive(response, request);
    }

    private static boolean writeStream(
            StubResponse response,
            RecordedRequest request,
            Socket socket,
            InputStream in,
            OutputStream out,
            CountDownLatch stubClosed)
            throws IOException, InterruptedException {
        List<byte[]> chunks = response.chunksFor(request);
        StringBuilder head = head(response.statusCode(), response.headers()).append("transfer-encoding: chunked\r\n");
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        int cut = response.cutAfter();
        int sent = 0;
        for (byte[] chunk : chunks) {
            if (chunk.length == 0) {
                continue; // a zero-length chunk would end the body early
            }
            if (sent == cut) {
                break;
            }
            if (sent > 0 && !pause(response.eventDelay(), stubClosed)) {
                return false;
            }
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(chunk);
            out.write('\r');
            out.write('\n');
            out.flush();
            sent++;
        }
        if (cut >= 0 && response.stalls()) {
            hang(in); // nothing more until the client lets go
            socket.close();
            return false;
        }
        if (cut >= 0) {
            // Close mid-body: no terminating zero-length chunk, so the client sees a truncated stream.
            socket.close();
            return false;
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return keepAlive(response, request);
    }

    private static StringBuilder head(int status, Map<String, String> headers) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        return sb;
    }

    private static boolean keepAlive(StubResponse response, RecordedRequest request) {
        return !"close".equalsIgnoreCase(request.header("connection"))
                && !"close".equalsIgnoreCase(response.headers().get("connection"));
    }

    /** Waits {@code d}; false when the stub closed meanwhile. */
    private static boolean pause(Duration d, CountDownLatch stubClosed) throws InterruptedException {
        if (d.isZero()) {
            return stubClosed.getCount() > 0;
        }
        return !stubClosed.await(d.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static String reason(int status) {
        switch (status) {
            case 200:
                return "OK";
            case 201:
                return "Created";
            case 202:
                return "Accepted";
            case 204:
                return "No Content";
            case 304:
                return "Not Modified";
            case 400:
                return "Bad Request";
            case 401:
                return "Unauthorized";
            case 403:
                return "Forbidden";
            case 404:
                return "Not Found";
            case 408:
                return "Request Timeout";
            case 409:
                return "Conflict";
            case 412:
                return "Precondition Failed";
            case 413:
                return "Content Too Large";
            case 422:
                return "Unprocessable Content";
            case 429:
                return "Too Many Requests";
            case 500:
                return "Internal Server Error";
            case 502:
                return "Bad Gateway";
            case 503:
                return "Service Unavailable";
            case 504:
                return "Gateway Timeout";
            default:
                return "Status";
        }
    }
}
