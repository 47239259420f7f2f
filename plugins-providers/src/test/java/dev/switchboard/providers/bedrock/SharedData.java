package dev.switchboard.providers.bedrock;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code shared/data} by walking up from the working directory (CI: {@code ../shared}; locally {@code /work/shared}). */
final class SharedData {
    private SharedData() {}

    static Path dir(String child) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path candidate = p.resolve("shared").resolve("data").resolve(child);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("shared/data/" + child + " not found above " + Path.of("").toAbsolutePath());
    }
}
