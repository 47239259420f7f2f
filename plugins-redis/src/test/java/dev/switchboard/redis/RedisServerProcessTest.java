package dev.switchboard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which redis-server the Redis tests start: PATH first, then the embedded one, never none. */
class RedisServerProcessTest {
    @TempDir
    Path tmp;

    private Path fakeRedisIn(String folder, boolean executable) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(folder));
        Path file = Files.writeString(dir.resolve("redis-server"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwx------" : "rw-------"));
        return file;
    }

    @Test
    void anExecutableRedisServerOnPathComesFirstThenTheEmbeddedOne() throws Exception {
        Path notExecutable = fakeRedisIn("a", false);
        Path onPath = fakeRedisIn("b", true);
        String path = String.join(
                File.pathSeparator,
                "",
                notExecutable.getParent().toString(),
                onPath.getParent().toString());

        List<RedisServerProcess.RedisBinary> candidates = RedisServerProcess.candidates(path);

        assertEquals(
                List.of("PATH", "embedded (com.github.codemonstur:embedded-redis)"),
                candidates.stream().map(RedisServerProcess.RedisBinary::origin).toList());
        assertEquals(onPath, candidates.get(0).executable(), "the first executable redis-server on PATH");
    }

    @Test
    void withoutRedisOnPathTheEmbeddedBinaryIsTheOnlyCandidateAndIsARealRedisServer() throws Exception {
        for (String path : new String[] {null, "", tmp.toString()}) {
            List<RedisServerProcess.RedisBinary> candidates = RedisServerProcess.candidates(path);
            assertEquals(1, candidates.size(), "PATH=" + path);
            assertTrue(
                    candidates.get(0).origin().startsWith("embedded"),
                    candidates.get(0).origin());
        }
        Path embedded = RedisServerProcess.candidates(null).get(0).executable();
        assertTrue(Files.isExecutable(embedded), embedded + " is executable");
        assertTrue(
                Set.of(
                                "redis-server-6.2.6-v5-linux-amd64",
                                "redis-server-6.2.7-linux-arm64",
                                "redis-server-6.2.7-linux-386",
                                "redis-server-6.2.6-v5-darwin-amd64",
                                "redis-server-6.2.6-v5-darwin-arm64")
                        .contains(embedded.getFileName().toString()),
                "one of embedded-redis 1.4.3's Redis 6.2 binaries: " + embedded);
    }
}
