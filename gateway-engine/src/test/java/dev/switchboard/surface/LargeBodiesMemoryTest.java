package dev.switchboard.surface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bodies are never held whole in heap: a 512 MiB file upload and a 512 MiB download pass through the
 * gateway in a JVM started with {@code -Xmx64m} ({@link LargeBodiesMain}); a buffered body could not
 * fit, so the run would fail with {@code OutOfMemoryError}.
 */
class LargeBodiesMemoryTest {
    static final int MIB = 512;

    @Test
    void a512MiBUploadAndDownloadPassThroughA64MiBHeap() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        javaBin,
                        "-Xmx64m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LargeBodiesMain.class.getName(),
                        Integer.toString(MIB))
                .redirectErrorStream(true)
                .redirectOutput(File.createTempFile("large-bodies", ".log"));
        Process p = pb.start();
        File log = pb.redirectOutput().file();
        try {
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            String out = java.nio.file.Files.readString(log.toPath(), StandardCharsets.UTF_8);
            assertTrue(ended, "still running after 120 s: " + out);
            assertEquals(0, p.exitValue(), out);
            List<String> lines = out.lines().filter(l -> l.startsWith("OK ")).toList();
            assertEquals(1, lines.size(), out);
            String[] f = lines.get(0).split(" ");
            assertEquals((long) MIB << 20, Long.parseLong(f[2]), "downloaded bytes");
            assertTrue(Long.parseLong(f[1]) > (long) MIB << 20, "uploaded bytes: " + f[1]);
            assertTrue(Long.parseLong(f[3]) <= 64, "peak heap " + f[3] + " MiB");
        } finally {
            p.destroyForcibly();
            log.delete();
        }
    }
}
