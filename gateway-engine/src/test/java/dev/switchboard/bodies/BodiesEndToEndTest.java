package dev.switchboard.bodies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.Gateway;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.MultipartBody;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.ManualSleeper;
import dev.switchboard.testkit.RecordedMultipart;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies that are not JSON, end to end through {@code Gateway.execute} against a local stub: a
 * multipart upload (retried after a 503, sent again on a fallback, 64 MiB streamed), conditions on
 * its fields, the cache key of an upload, and a binary download.
 */
class BodiesEndToEndTest {
    private static final String TRANSCRIPTION = "{\"text\":\"hello from the stub\"}";

    @TempDir
    Path temp;

    private StubUpstream stub;
    private ManualSleeper sleeper;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
        sleeper = new ManualSleeper(ManualClock.start());
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private Gateway gateway(String config) {
        return Gateway.builder()
                .config(config)
                .register(new MediaProvider())
                .sleeper(sleeper)
                .build();
    }

    private String target(String extra) {
        return "{\"provider\":\"media\",\"api_key\":\"k-media\",\"custom_host\":\"" + stub.openAiBaseUrl() + "\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static GatewayRequest transcription(MultipartBody form) {
        return GatewayRequest.builder(Endpoint.AUDIO_TRANSCRIPTIONS).body(form).build();
    }

    @Test
    void uploadArrivesIntactAndARetryAfter503ReplaysItByteForByte() throws IOException {
        byte[] wav = random(300_000, 1);
        byte[] oneShot = random(200_000, 2);
        stub.enqueue("/audio/transcriptions", StubResponse.error(503, "busy"));
        stub.enqueue("/audio/transcriptions", StubResponse.json(200, TRANSCRIPTION));
        Gateway g = gateway("{\"retry\":{\"attempts\":2}," + target("").substring(1));
        List<Path> spools;
        try (MultipartBody form = MultipartBody.builder()
                .memoryLimit(64 * 1024)
                .tempDirectory(temp)
                .field("model", "whisper-1")
                .field("language", "en")
                .file("file", "talk.wav", "audio/wav", wav)
                .file("extra", "notes.bin", null, new ByteArrayInputStream(oneShot)) // one-shot: spooled
                .build()) {
            GatewayResponse r = g.execute(transcription(form));
            assertEquals(200, r.status(), r.bodyAsString());
            assertEquals("hello from the stub", r.json().path("text").asText());
            assertEquals("1", r.header("x-portkey-retry-attempt-count").orElseThrow());
            assertTrue(form.bufferedBytes() <= 64 * 1024, "one-shot part kept at most the memory limit in heap");
            spools = form.spoolFiles();
            assertEquals(1, spools.size(), "the one-shot part's rest went to a temp file");
            assertTrue(Files.exists(spools.get(0)));
        }
        assertFalse(Files.exists(spools.get(0)), "close() deletes the spool file");

        List<RecordedRequest> sent = stub.requests();
        assertEquals(2, sent.size());
        assertEquals(sent.get(0).bodySha256(), sent.get(1).bodySha256(), "the retry resends the same bytes");
        assertArrayEquals(sent.get(0).body(), sent.get(1).body());
        for (RecordedRequest req : sent) {
            assertTrue(req.header("content-type").startsWith("multipart/form-data; boundary="));
            assertEquals("Bearer k-media", req.header("authorization"));
            RecordedMultipart m = req.multipart();
            assertEquals(
                    List.of("model", "language", "file", "extra"),
                    m.parts().stream().map(RecordedMultipart.Part::name).toList());
            assertEquals("whisper-1", m.field("model").orElseThrow());
            RecordedMultipart.Part file = m.part("file").orElseThrow();
            assertEquals("talk.wav", file.filename());
            assertEquals("audio/wav", file.contentType());
            assertArrayEquals(wav, file.bytes());
            assertArrayEquals(oneShot, m.part("extra").orElseThrow().bytes());
            assertEquals(
                    "application/octet-stream", m.part("extra").orElseThrow().contentType());
        }
    }

    @Test
    void aFallbackSendsTheUploadAgainWithTheSecondTargetsModel() {
        byte[] wav = random(100_000, 3);
        stub.enqueue("/audio/transcriptions", StubResponse.error(500, "broken"));
        stub.enqueue("/audio/transcriptions", StubResponse.json(200, TRANSCRIPTION));
        Gateway g = gateway("{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + target("") + ","
                + target("\"override_params\":{\"model\":\"whisper-2\"}") + "]}");
        GatewayResponse r = g.execute(transcription(MultipartBody.builder()
                .field("model", "whisper-1")
                .file("file", "a.wav", "audio/wav", wav)
                .build()));
        assertEquals(200, r.status());
        assertEquals(
                "config.targets[1]",
                r.header("x-portkey-last-used-option-index").orElseThrow());
        List<RecordedRequest> sent = stub.requests();
        assertEquals(2, sent.size());
        assertEquals("whisper-1", sent.get(0).multipart().field("model").orElseThrow());
        assertEquals(
                "whisper-2",
                sent.get(1).multipart().field("model").orElseThrow(),
                "override_params reach the form's fields");
        assertArrayEquals(
                wav, sent.get(1).multipart().part("file").orElseThrow().bytes());
    }

    @Test
    void conditionsSeeTheFormFieldsAsParams() {
        Gateway g = gateway("{\"strategy\":{\"mode\":\"conditional\",\"conditions\":["
                + "{\"query\":{\"params.model\":{\"$eq\":\"whisper-large\"}},\"then\":\"big\"}],\"default\":\"small\"},"
                + "\"targets\":[" + target("\"name\":\"small\"") + "," + target("\"name\":\"big\"") + "]}");
        stub.setDefault(StubResponse.json(200, TRANSCRIPTION));
        GatewayResponse large = g.execute(transcription(MultipartBody.builder()
                .field("model", "whisper-large")
                .file("file", "a.wav", "audio/wav", new byte[] {1, 2, 3})
                .build()));
        assertEquals(
                "config.targets[1]",
                large.header("x-portkey-last-used-option-index").orElseThrow());
        GatewayResponse small = g.execute(transcription(MultipartBody.builder()
                .field("model", "whisper-1")
                .file("file", "a.wav", "audio/wav", new byte[] {1, 2, 3})
                .build()));
        assertEquals(
                "config.targets[0]",
                small.header("x-portkey-last-used-option-index").orElseThrow());
    }

    @Test
    void theCacheKeysAnUploadByItsFieldsAndSmallFiles() {
        stub.setDefault(StubResponse.json(200, TRANSCRIPTION));
        Gateway g = gateway("{\"cache\":{\"mode\":\"simple\"}," + target("").substring(1));
        byte[] a = random(10_000, 4);
        byte[] b = random(10_000, 5);
        assertEquals("MISS", cacheStatus(g.execute(transcription(upload(a)))));
        assertEquals("HIT", cacheStatus(g.execute(transcription(upload(a)))));
        assertEquals("MISS", cacheStatus(g.execute(transcription(upload(b)))), "another file is another entry");
        assertEquals(2, stub.hits());
    }

    private static MultipartBody upload(byte[] file) {
        return MultipartBody.builder()
                .field("model", "whisper-1")
                .file("file", "a.wav", "audio/wav", file)
                .build();
    }

    private static String cacheStatus(GatewayResponse r) {
        assertEquals(200, r.status(), r.bodyAsString());
        return r.header("x-portkey-cache-status").orElseThrow();
    }

    @Test
    void aBinaryDownloadArrivesByteIdenticalThroughTheResponse() throws IOException {
        byte[] mp3 = random(3_000_000, 6);
        stub.enqueue("/audio/speech", StubResponse.raw(200, "audio/mpeg", mp3));
        Gateway g = gateway(target(""));
        GatewayResponse r = g.execute(GatewayRequest.builder(Endpoint.AUDIO_SPEECH)
                .body("{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\"}")
                .build());
        assertEquals(200, r.status());
        assertTrue(r.isBinaryStream(), "handed over as it arrives, not read whole by the gateway");
        assertEquals("audio/mpeg", r.contentType().orElseThrow());
        assertEquals(List.of("audio/mpeg"), r.headers("Content-Type"));
        try (InputStream in = r.inputStream()) {
            assertArrayEquals(mp3, in.readAllBytes());
        }
        assertEquals("tts-1", stub.lastRequest().json().path("model").asText());
    }

    @Test
    void a64MiBUploadStreamsWithoutBeingHeldInHeap() throws Exception {
        int size = 64 << 20;
        long bound = 16L << 20; // socket buffers and the client's own chunks, far below the upload
        AtomicLong maxAhead = new AtomicLong();
        stub.setDefault(StubResponse.json(200, TRANSCRIPTION));
        Gateway g = gateway(target(""));
        MultipartBody form = MultipartBody.builder()
                .field("model", "whisper-1")
                .file("file", "big.wav", "audio/wav", () -> new Generated(size, 7, stub, maxAhead), size)
                .build();
        long before = stub.bodyBytesReceived();
        GatewayResponse r = g.execute(transcription(form));
        assertEquals(200, r.status(), r.bodyAsString());
        RecordedMultipart.Part part =
                stub.lastRequest().multipart().part("file").orElseThrow();
        assertEquals(size, part.size());
        assertEquals(sha256(new Generated(size, 7, null, null)), part.sha256(), "arrived intact");
        assertTrue(stub.bodyBytesReceived() - before >= size);
        assertTrue(
                maxAhead.get() < bound,
                "the gateway read at most " + maxAhead.get()
                        + " bytes ahead of what the upstream had received (a buffered upload would be 64 MiB ahead)");
        assertEquals(0, form.bufferedBytes());
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) >= 0; ) {
            d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /**
     * Deterministic pseudo-random bytes generated as read; with a stub, records how far reading
     * runs ahead of the bytes the stub has received.
     */
    private static final class Generated extends InputStream {
        private final long size;
        private final StubUpstream stub;
        private final AtomicLong maxAhead;
        private final long base;
        private long state;
        private long read;

        Generated(long size, long seed, StubUpstream stub, AtomicLong maxAhead) {
            this.size = size;
            this.state = seed * 0x9E3779B97F4A7C15L + 1;
            this.stub = stub;
            this.maxAhead = maxAhead;
            this.base = stub == null ? 0 : stub.bodyBytesReceived();
        }

        @Override
        public int read() {
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
            if (stub != null) {
                maxAhead.accumulateAndGet(read - (stub.bodyBytesReceived() - base), Math::max);
            }
            return n;
        }
    }
}
