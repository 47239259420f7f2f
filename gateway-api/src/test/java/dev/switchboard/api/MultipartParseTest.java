package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link MultipartBody#parse}: RFC 7578 forms as servers receive them, round trips, and clear errors. */
class MultipartParseTest {
    private static final String CT = "multipart/form-data; boundary=XyZ";

    private static MultipartBody parse(String body, String contentType, long limit) {
        return MultipartBody.parse(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1)), contentType, limit);
    }

    private static byte[] content(MultipartBody.Part p) throws IOException {
        try (InputStream in = p.open()) {
            return in.readAllBytes();
        }
    }

    @Test
    void fieldsAndFilesWithPreambleAndEpilogue() throws IOException {
        String body = "this is a preamble\r\n--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
                + "--XyZ  \t\r\n" // transport padding after the boundary
                + "Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n"
                + "RIFF\r\n--Xy not a boundary\r\n\r\n"
                + "\r\n--XyZ--\r\nepilogue ignored";
        try (MultipartBody form = parse(body, CT, 1024)) {
            assertEquals("XyZ", form.boundary());
            assertEquals(2, form.parts().size());
            assertEquals("whisper-1", form.fieldsAsJson().path("model").asText());
            MultipartBody.Part file = form.parts().get(1);
            assertEquals("a \"b\".wav", file.filename());
            assertEquals("audio/wav", file.contentType());
            assertEquals("RIFF\r\n--Xy not a boundary\r\n\r\n", new String(content(file), StandardCharsets.ISO_8859_1));
            // RFC 2046: content never holds CRLF--boundary; a client that lets it is refused, not misread
            assertThrows(
                    IllegalArgumentException.class,
                    () -> parse(body.replace("RIFF\r\n--Xy", "RIFF\r\n--XyZ!"), CT, 1024));
        }
    }

    @Test
    void aBoundaryPrefixInsideContentThatIsNotADelimiterIsKept() throws IOException {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n"
                + "a\r\n--Xy\r\n-XyZ\r--XyZ\n--XyZ\r\n--XyZ--\r\n";
        try (MultipartBody form = parse(body, CT, 1024)) {
            assertEquals(
                    "a\r\n--Xy\r\n-XyZ\r--XyZ\n--XyZ",
                    new String(content(form.parts().get(0)), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void emptyPartsEmptyFilenameAndQuotedBoundary() throws IOException {
        String body = "--a:b\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n"
                + "--a:b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\n\r\n--a:b--";
        try (MultipartBody form = parse(body, "Multipart/Form-Data; charset=utf-8; boundary=\"a:b\"", 10)) {
            assertEquals("", form.parts().get(0).value());
            assertEquals("", form.parts().get(1).filename());
            assertEquals(0, content(form.parts().get(1)).length);
            assertEquals("application/octet-stream", form.parts().get(1).contentType());
        }
    }

    @Test
    void aTypedPartWithoutAFilenameIsAFileAndATextPlainOneAField() throws IOException {
        String body =
                "--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        + "\u0000\u0001\r\n--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                        + "hi\r\n--XyZ--";
        try (MultipartBody form = parse(body, CT, 1)) {
            assertTrue(form.parts().get(0).isFile());
            assertEquals("", form.parts().get(0).filename());
            assertArrayEquals(new byte[] {0, 1}, content(form.parts().get(0)));
            assertEquals("hi", form.fields().get("note").get(0));
        }
    }

    @Test
    void utf8NamesAndRfc5987FileNames() throws IOException {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\n"
                + new String("héllo ✓".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
                + "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\";"
                + " filename*=UTF-8''%E2%9C%93.txt\r\n\r\nhi\r\n--XyZ--\r\n";
        try (MultipartBody form = parse(body, CT, 1024)) {
            assertEquals("héllo ✓", form.fields().get("prompt").get(0));
            assertEquals("✓.txt", form.parts().get(1).filename());
        }
    }

    @Test
    void aFilePartLargerThanTheMemoryLimitIsSpooledToDiskAndDeletedOnClose() throws IOException {
        byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        MultipartBody source = MultipartBody.builder()
                .boundary("b0und")
                .field("purpose", "batch")
                .file("file", "big.bin", "application/octet-stream", big)
                .build();
        MultipartBody form;
        try (InputStream in = source.openStream()) {
            form = MultipartBody.parse(in, source.contentType(), 1000);
        }
        List<Path> spooled = form.spoolFiles();
        assertEquals(1, spooled.size());
        assertTrue(Files.exists(spooled.get(0)));
        assertArrayEquals(big, content(form.parts().get(1)));
        assertArrayEquals(big, content(form.parts().get(1)), "replayable");
        form.close();
        assertFalse(Files.exists(spooled.get(0)));
    }

    @Test
    void problemsAreIllegalArgumentsNamingThem() {
        assertMessage("no boundary parameter", () -> parse("x", "multipart/form-data", 10));
        assertMessage("expected multipart/form-data", () -> parse("x", "application/json", 10));
        assertMessage("no Content-Type", () -> MultipartBody.parse(new ByteArrayInputStream(new byte[0]), null, 10));
        assertMessage(
                "truncated", () -> parse("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nabc", CT, 10));
        assertMessage("truncated", () -> parse("--XyZ\r\nContent-Disposition: form-da", CT, 10));
        assertMessage("truncated", () -> parse("", CT, 10));
        assertMessage(
                "truncated",
                () -> parse(
                        "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n"
                                + "abc".repeat(100),
                        CT,
                        10));
        assertMessage(
                "no Content-Disposition", () -> parse("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", CT, 10));
        assertMessage(
                "no name parameter",
                () -> parse("--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--", CT, 10));
        assertMessage(
                "expected form-data",
                () -> parse("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--", CT, 10));
        assertMessage(
                "larger than 1048576 bytes",
                () -> parse(
                        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + "x".repeat(1 << 20)
                                + "y\r\n--XyZ--",
                        CT,
                        4));
        assertMessage("without ':'", () -> parse("--XyZ\r\nbroken header\r\n\r\nx\r\n--XyZ--", CT, 10));
        assertMessage(
                "unclosed quoted",
                () -> parse("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--", CT, 10));
    }

    @Test
    void aTruncatedFileLeavesNoTemporaryFileBehind() throws IOException {
        Path dir = Files.createTempDirectory("mp");
        String tmp = System.getProperty("java.io.tmpdir");
        long before = countSpools(Path.of(tmp));
        byte[] prefix = ("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + 200_000];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        assertThrows(
                IllegalArgumentException.class, () -> MultipartBody.parse(new ByteArrayInputStream(body), CT, 100));
        assertEquals(before, countSpools(Path.of(tmp)));
        Files.delete(dir);
    }

    private static long countSpools(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("switchboard-part-"))
                    .count();
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(expected), x.getMessage());
    }

    /**
     * Property: any form the builder encodes — random fields and files (bytes full of CR, LF, dashes and
     * boundary prefixes), random boundaries, random memory limits — parses back to the same parts,
     * however the input is split into reads.
     */
    @Test
    void everyEncodedFormParsesBackToTheSameParts() throws IOException {
        Random random = new Random(20261201);
        String alphabet = "\r\n-ab";
        for (int round = 0; round < 400; round++) {
            // ends in Z, which the content alphabet lacks: the content holds boundary prefixes, never a delimiter
            String boundary = "b" + Integer.toString(random.nextInt(1 << 20), 36)
                    + (random.nextBoolean() ? "-" : "'()+_,./:=?") + "Z";
            MultipartBody.Builder b = MultipartBody.builder().boundary(boundary);
            List<byte[]> expected = new ArrayList<>();
            List<String> names = new ArrayList<>();
            int parts = random.nextInt(5);
            for (int i = 0; i < parts; i++) {
                int len = random.nextInt(random.nextInt(10) == 0 ? 5000 : 60);
                StringBuilder s = new StringBuilder();
                for (int k = 0; k < len; k++) {
                    int pick = random.nextInt(10);
                    s.append(
                            pick == 0
                                    ? "\r\n--" + boundary.substring(0, random.nextInt(boundary.length()))
                                    : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
                }
                String text = s.toString();
                String name = "p" + i + (random.nextBoolean() ? " \"q\"" : "");
                names.add(name);
                if (random.nextBoolean()) {
                    b.field(name, text);
                } else {
                    b.file(name, "f" + i + ".bin", "application/x-test", text.getBytes(StandardCharsets.UTF_8));
                }
                expected.add(text.getBytes(StandardCharsets.UTF_8));
            }
            MultipartBody source = b.build();
            byte[] wire;
            try (InputStream in = source.openStream()) {
                wire = in.readAllBytes();
            }
            int maxRead = 1 + random.nextInt(100);
            long limit = random.nextInt(3) == 0 ? 0 : random.nextInt(10_000);
            long fieldLimit = limit;
            try (MultipartBody parsed = MultipartBody.parse(
                    new Trickle(new ByteArrayInputStream(wire), maxRead, random), source.contentType(), fieldLimit)) {
                assertEquals(parts, parsed.parts().size(), "round " + round);
                for (int i = 0; i < parts; i++) {
                    MultipartBody.Part p = parsed.parts().get(i);
                    assertEquals(names.get(i), p.name());
                    assertArrayEquals(expected.get(i), content(p), "round " + round + " part " + i);
                    if (source.parts().get(i).isFile()) {
                        assertEquals("f" + i + ".bin", p.filename());
                        assertEquals("application/x-test", p.contentType());
                    } else {
                        assertNull(p.filename());
                    }
                }
                ByteArrayOutputStream again = new ByteArrayOutputStream();
                try (InputStream in = parsed.openStream()) {
                    in.transferTo(again);
                }
                assertArrayEquals(wire, again.toByteArray(), "re-encoding gives the same bytes, round " + round);
            }
            // any strict prefix of the wire bytes is refused
            int cut = random.nextInt(wire.length - 2); // "--b--" without its CRLF is still whole
            byte[] truncated = java.util.Arrays.copyOf(wire, cut);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> MultipartBody.parse(new ByteArrayInputStream(truncated), source.contentType(), fieldLimit)
                            .close(),
                    "round " + round + " cut at " + cut);
        }
    }

    /** Returns at most a few bytes per read, as a network does. */
    private static final class Trickle extends FilterInputStream {
        private final int max;
        private final Random random;

        Trickle(InputStream in, int max, Random random) {
            super(in);
            this.max = max;
            this.random = random;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(max)));
        }
    }
}
