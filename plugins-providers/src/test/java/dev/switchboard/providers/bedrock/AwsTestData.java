package dev.switchboard.providers.bedrock;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The AWS test vectors copied into this module's test resources under {@code aws/} (SigV4 suites,
 * event-stream vectors; origin and licence in NOTICE and beside each folder). Test resources are
 * plain files on disk, so a folder's classpath URL resolves to a {@link Path} the tests can list.
 */
final class AwsTestData {
    private AwsTestData() {}

    static Path dir(String child) {
        String resource = "/aws/" + child;
        URL url = AwsTestData.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("test resource folder " + resource + " not found on the classpath "
                    + "(expected in plugins-providers/src/test/resources" + resource + ")");
        }
        try {
            Path dir = Path.of(url.toURI());
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("test resource " + resource + " is not a folder on disk: " + url);
            }
            return dir;
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            throw new IllegalStateException("test resource " + resource + " is not a folder on disk: " + url, e);
        }
    }
}
