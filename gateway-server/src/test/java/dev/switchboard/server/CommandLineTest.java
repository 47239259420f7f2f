package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testkit.StubUpstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar switchboard-server.jar ...}: the options, the start-up line, and the refusals. */
class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void startsFromFilesPrintsTheUrlAndServes() throws Exception {
        try (StubUpstream stub = StubUpstream.start()) {
            Path config = Files.writeString(
                    dir.resolve("gateway.json"),
                    "{\"provider\":\"openai\",\"api_key\":\"sk-cli-1\",\"custom_host\":\"" + stub.openAiBaseUrl()
                            + "\"}");
            Path configs = Files.createDirectory(dir.resolve("configs"));
            Files.writeString(configs.resolve("other.json"), "{\"virtual_key\":\"@stub\"}");
            Path keys = Files.writeString(
                    dir.resolve("keys.json"),
                    "{\"api_keys\":{\"cli\":{\"key\":\"sb-cli-server-key-000000\"}},"
                            + "\"keys\":{\"@stub\":{\"provider\":\"openai\",\"api_key\":\"sk-cli-2\"}}}");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SwitchboardServer server = SwitchboardServer.fromArgs(
                    new String[] {
                        "--config",
                        config.toString(),
                        "--keys",
                        keys.toString(),
                        "--config-dir",
                        configs.toString(),
                        "--port=0"
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                String line = out.toString(StandardCharsets.UTF_8);
                assertTrue(line.contains("listening on " + server.url()) && line.contains("/v1"), line);
                try (Socket s = ServerFixture.connect(server)) {
                    ServerFixture.write(
                            s,
                            ServerFixture.post(
                                    "/v1/chat/completions",
                                    "sb-cli-server-key-000000",
                                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
                    assertEquals(200, ServerFixture.read(s.getInputStream()).status());
                }
                assertEquals("Bearer sk-cli-1", stub.lastRequest().header("authorization"));
            } finally {
                server.close();
            }
        }
    }

    @Test
    void theKeysFileShownInTheReadmeParses() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```json server-keys\n");
        assertTrue(start >= 0, "the README shows a server keys file");
        start = readme.indexOf('\n', start) + 1;
        String block = readme.substring(start, readme.indexOf("```", start));
        ServerKeys keys = ServerKeys.parse(block, name -> "sb-readme-secret-" + name);
        assertEquals("team-a", keys.keys().get(0).name());
        assertTrue(
                keys.keys().get(0).mayUse("@openai-prod") && !keys.keys().get(0).mayUse("@other"));
        assertTrue(keys.providerKeys().containsKey("@openai-prod"));
        assertTrue(keys.authenticate("sb-readme-secret-TEAM_A_SERVER_KEY").isPresent());
        assertTrue(!keys.toString().contains("sb-readme-secret"), keys.toString());
    }

    @Test
    void badCommandLinesAreRefusedWithTheReason() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertTrue(assertThrows(
                        SwitchboardServer.UsageException.class, () -> SwitchboardServer.fromArgs(new String[] {}, out))
                .getMessage()
                .contains("--config FILE is required"));
        assertTrue(assertThrows(
                        SwitchboardServer.UsageException.class,
                        () -> SwitchboardServer.fromArgs(new String[] {"--config", "x", "--prot", "1"}, out))
                .getMessage()
                .contains("unknown option \"--prot\""));
        Path config = Files.writeString(dir.resolve("g.json"), "{\"provider\":\"openai\",\"api_key\":\"sk-x\"}");
        IllegalStateException open = assertThrows(
                IllegalStateException.class,
                () -> SwitchboardServer.fromArgs(
                        new String[] {"--config", config.toString(), "--open", "--host", "0.0.0.0", "--port", "0"},
                        out));
        assertTrue(open.getMessage().contains("loopback"), open.getMessage());
        Path configs = Files.createDirectory(dir.resolve("bad"));
        Files.writeString(configs.resolve("broken.json"), "{\"provider\":\"claude\",\"api_key\":\"sk-y\"}");
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> SwitchboardServer.fromArgs(
                        new String[] {"--config", config.toString(), "--open", "--config-dir", configs.toString()},
                        out));
        assertTrue(bad.getMessage().contains("broken.json"), bad.getMessage());
    }
}
