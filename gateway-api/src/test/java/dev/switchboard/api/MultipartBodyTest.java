package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multipart encoder (RFC 7578), its replayable parts and the JSON view of its fields. */
class MultipartBodyTest {
    @TempDir
    Path temp;

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void encodesFieldsAndFilesAsRfc7578WithTheExactLength() throws IOException {
        MultipartBody form = MultipartBody.builder()
                .boundary("b0undary")
                .field("model", "whisper-1")
                .field("quote\"d", "é")
                .file("file", "a.wav", "audio/wav", new byte[] {1, 2, 3})
                .build();
        byte[] wire = read(form.openStream());
        String expected = "--b0undary\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
                + "--b0undary\r\nContent-Disposition: form-data; name=\"quote%22d\"\r\n\r\né\r\n"
                + "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n\u0001\u0002\u0003\r\n--b0undary--\r\n";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), wire);
        assertEquals(wire.length, form.contentLength());
        assertEquals("multipart/form-data; boundary=b0undary", form.contentType());
        assertArrayEquals(wire, read(form.openStream()), "every send gives the same bytes");
    }

    @Test
    void aOneShotStreamIsSpooledToMemoryThenATempFileAndDeletedOnClose() throws IOException {
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        Path spool;
        byte[] first;
        try (MultipartBody form = MultipartBody.builder()
                .memoryLimit(100_000)
                .tempDirectory(temp)
                .file("file", "x.bin", null, new ByteArrayInputStream(data))
                .build()) {
            first = read(form.openStream());
            assertEquals(100_000, form.bufferedBytes(), "only the memory limit stays in heap");
            spool = form.spoolFiles().get(0);
            assertEquals(200_000, Files.size(spool));
            assertArrayEquals(first, read(form.openStream()), "replayed byte for byte");
            assertEquals(first.length, form.contentLength());
        }
        assertFalse(Files.exists(spool));
        String s = new String(first, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains("Content-Type: application/octet-stream\r\n\r\n"));
        int start = s.indexOf("\r\n\r\n") + 4;
        byte[] content = java.util.Arrays.copyOfRange(first, start, start + data.length);
        assertArrayEquals(data, content);
    }

    @Test
    void fieldsAreParamsAndWithFieldsKeepsOrderAndFiles() throws IOException {
        MultipartBody form = MultipartBody.builder()
                .boundary("b")
                .field("model", "whisper-1")
                .field("timestamp_granularities[]", "word")
                .field("timestamp_granularities[]", "segment")
                .file("file", "a.wav", "audio/wav", new byte[] {9})
                .field("language", "en")
                .build();
        ObjectNode params = form.fieldsAsJson();
        assertEquals("whisper-1", params.path("model").asText());
        assertEquals(2, params.path("timestamp_granularities[]").size());
        assertSame(form, form.withFields(params), "unchanged fields: the same form, the same bytes");

        ObjectNode changed = params.deepCopy();
        changed.put("model", "whisper-2");
        changed.remove("language");
        changed.put("temperature", 0);
        MultipartBody other = form.withFields(changed);
        assertEquals(
                List.of("model", "timestamp_granularities[]", "timestamp_granularities[]", "file", "temperature"),
                other.parts().stream().map(MultipartBody.Part::name).toList());
        assertEquals("whisper-2", other.fields().get("model").get(0));
        assertEquals("0", other.fields().get("temperature").get(0));
        assertEquals("b", other.boundary());
    }

    @Test
    void aRequestSeesTheFieldsAsParamsAndRejectsAStreamedBody() {
        MultipartBody form = MultipartBody.builder()
                .field("model", "whisper-1")
                .field("stream", "true")
                .file("file", "a.wav", null, new byte[] {1})
                .build();
        GatewayRequest r =
                GatewayRequest.builder(Endpoint.AUDIO_TRANSCRIPTIONS).body(form).build();
        assertEquals(null, r.bodyView(), "bodyView stays JSON-only");
        assertEquals("whisper-1", r.paramsView().path("model").asText());
        assertTrue(r.isStream());
        assertSame(form, r.content());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> GatewayRequest.builder(Endpoint.AUDIO_TRANSCRIPTIONS)
                        .body(Body.stream(new ByteArrayInputStream(new byte[1]), "audio/wav", 1)));
        assertTrue(e.getMessage().contains("resendable"), e.getMessage());
    }

    @Test
    void aBoundaryOutsideRfc2046IsRejectedWithWhatWasExpected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> MultipartBody.builder().boundary("bad boundary\r\n"));
        assertTrue(e.getMessage().contains("1 to 70 characters"), e.getMessage());
    }
}
