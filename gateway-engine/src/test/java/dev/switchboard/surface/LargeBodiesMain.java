package dev.switchboard.surface;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.Gateway;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.MultipartBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run by {@link LargeBodiesMemoryTest} in a JVM of its own with a small heap ({@code -Xmx64m}): pushes
 * a large file upload ({@code POST /v1/files}, multipart) and its download
 * ({@code GET /v1/files/{id}/content}) through the gateway to a local upstream, the bytes generated on
 * the fly on both sides and never stored. Prints {@code OK <uploaded> <downloaded> <peak heap MiB>};
 * exits 1 when the bytes differ in number or content.
 */
public final class LargeBodiesMain {
    private LargeBodiesMain() {}

    /**
     * Runs the upload and the download.
     *
     * @param args the size in MiB
     * @throws Exception when the run fails
     */
    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[0]) << 20;
        AtomicLong uploaded = new AtomicLong();
        AtomicLong uploadDigest = new AtomicLong();
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/v1/files", exchange -> {
            if ("POST".equals(exchange.getRequestMethod())) {
                try (InputStream in = exchange.getRequestBody()) {
                    byte[] buf = new byte[64 * 1024];
                    long n = 0;
                    long digest = 0;
                    for (int r; (r = in.read(buf)) >= 0; ) {
                        for (int i = 0; i < r; i++) {
                            digest = digest * 31 + buf[i];
                        }
                        n += r;
                    }
                    uploaded.set(n);
                    uploadDigest.set(digest);
                }
                byte[] answer = "{\"id\":\"file-big\",\"object\":\"file\",\"purpose\":\"batch\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } else {
                exchange.getResponseHeaders().add("content-type", "application/octet-stream");
                exchange.sendResponseHeaders(200, size);
                try (OutputStream out = exchange.getResponseBody();
                        InputStream gen = new Generated(size, 11)) {
                    gen.transferTo(out);
                }
            }
            exchange.close();
        });
        upstream.start();
        Peak peak = new Peak();
        peak.start();
        int exit = 1;
        try (Gateway gateway = Gateway.fromConfig("{\"provider\":\"openai\",\"api_key\":\"sk-test\",\"custom_host\":"
                + "\"http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1\"}")) {
            MultipartBody form = MultipartBody.builder()
                    .field("purpose", "batch")
                    .file("file", "big.jsonl", "application/jsonl", () -> new Generated(size, 7), size)
                    .build();
            GatewayResponse created = gateway.execute(
                    GatewayRequest.builder(Endpoint.FILES).body(form).build());
            if (created.status() != 200) {
                throw new IllegalStateException("upload: " + created.status() + " " + created.bodyAsString());
            }
            GatewayResponse content = gateway.execute(
                    GatewayRequest.builder("GET", "/v1/files/file-big/content").build());
            long downloaded;
            boolean same;
            try (InputStream in = content.inputStream();
                    InputStream expected = new Generated(size, 11)) {
                byte[] buf = new byte[64 * 1024];
                byte[] want = new byte[64 * 1024];
                downloaded = 0;
                same = content.isBinaryStream();
                for (int r; (r = in.read(buf)) >= 0; ) {
                    expected.readNBytes(want, 0, r);
                    same &= java.util.Arrays.equals(buf, 0, r, want, 0, r);
                    downloaded += r;
                }
            }
            long expectedDigest = 0;
            try (InputStream gen = new Generated(size, 7)) {
                byte[] buf = new byte[64 * 1024];
                for (int r; (r = gen.read(buf)) >= 0; ) {
                    for (int i = 0; i < r; i++) {
                        expectedDigest = expectedDigest * 31 + buf[i];
                    }
                }
            }
            long file = uploaded.get();
            // the form adds its field and part headers around the file's bytes
            boolean uploadOk = file > size && file < size + 4096;
            System.out.println((uploadOk && same && downloaded == size ? "OK " : "MISMATCH ") + file + " " + downloaded
                    + " " + (peak.finish() >> 20));
            exit = uploadOk && same && downloaded == size ? 0 : 1;
        } finally {
            upstream.stop(0);
        }
        System.exit(exit);
    }

    /** Samples the heap in use; {@link #finish()} gives the most seen. */
    private static final class Peak extends Thread {
        private volatile boolean running = true;
        private long max;

        Peak() {
            setDaemon(true);
        }

        @Override
        public void run() {
            Runtime rt = Runtime.getRuntime();
            while (running) {
                max = Math.max(max, rt.totalMemory() - rt.freeMemory());
                try {
                    Thread.sleep(5); // sampling only: no result waits on it
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long finish() {
            running = false;
            return max;
        }
    }

    /** Deterministic pseudo-random bytes, generated as read (xorshift). */
    static final class Generated extends InputStream {
        private final long size;
        private long state;
        private long read;

        Generated(long size, long seed) {
            this.size = size;
            this.state = seed * 0x9E3779B97F4A7C15L + 1;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (read >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - read);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            read += n;
            return n;
        }
    }
}
