package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.accounting.KeysFile;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.ProviderCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON shown in the README compiles: documentation that drifts from the code fails the build. */
class ReadmeExamplesTest {
    private static List<String> jsonBlocks() throws Exception {
        Path readme = Path.of("..", "README.md");
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(readme)) {
            if (current == null && line.trim().equals("```json")) {
                current = new StringBuilder();
            } else if (current != null && line.trim().equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    @Test
    void theConfigWalkthroughCompilesAndRoutesAsDescribed() throws Exception {
        String walkthrough = jsonBlocks().stream()
                .filter(b -> b.contains("\"conditional\""))
                .findFirst()
                .orElseThrow();
        Gateway g = Gateway.builder()
                .config(walkthrough)
                .provider(
                        "@openai-prod",
                        ProviderCredentials.builder("openai").secret("sk-test").build())
                .build();
        GatewayRequest body =
                GatewayRequest.chat("{\"model\":\"gpt-4o\",\"messages\":[]}").build();
        assertEquals(
                "config.targets[0].targets[0]",
                g.explain(body.toBuilder().metadata("user_plan", "paid").build())
                        .leafPath());
        assertEquals(
                "config.targets[1]",
                g.explain(body.toBuilder().metadata("region", "eu").build()).leafPath());
        assertEquals("config.targets[2].targets[0]", g.explain(body).leafPath());
    }

    /** The lines of the first fenced block whose opening line is exactly {@code opening}. */
    private static String block(String opening) throws Exception {
        StringBuilder current = null;
        for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
            if (current == null && line.equals(opening)) {
                current = new StringBuilder();
            } else if (current != null && line.equals("```")) {
                return current.toString();
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        throw new AssertionError("no block " + opening + " in the README");
    }

    @Test
    void theValidationSampleIsTheRealMessageOfTheBrokenConfigShownBeforeIt() throws Exception {
        String broken = block("```json broken");
        String readme = s(Files.readString(Path.of("..", "README.md")));
        int at = readme.indexOf("```json broken");
        String message = readme.substring(readme.indexOf("```text\n", at) + "```text\n".length());
        message = message.substring(0, message.indexOf("\n```"));
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> Gateway.builder()
                .config(broken)
                .environment(name -> "sk-from-env")
                .build());
        assertEquals(message, e.getMessage());
    }

    private static String s(String text) {
        return text.replace("\r\n", "\n");
    }

    @Test
    void everyConfigShownInTheReadmeCompiles() throws Exception {
        int compiled = 0;
        for (String block : jsonBlocks()) {
            if (block.contains("\"keys\"")) {
                Map<String, ProviderCredentials> keys = KeysFile.parse(block, name -> "sk-from-env");
                assertTrue(keys.containsKey("@openai-prod"));
                continue;
            }
            String json = block.replace("\"…\"", "\"x\"")
                    .replace("\"sk-...\"", "\"sk-x\"")
                    .replace("sk-ant-…", "sk-ant-x")
                    .replace("org-…", "org-x");
            Gateway.Builder b = Gateway.builder()
                    .config(json)
                    .provider(
                            "@openai-prod",
                            ProviderCredentials.builder("openai")
                                    .secret("sk-test")
                                    .build());
            b.build();
            compiled++;
        }
        assertTrue(compiled >= 3, "configs found in the README: " + compiled);
    }
}
