package dev.switchboard.server;

import static dev.switchboard.server.ServerFixture.SERVER_KEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testkit.StubResponse;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Issue 16 finding 4 through the server: a JSON body nothing rewrites reaches the provider as the client sent it. */
class CallersBytesOverHttpTest {
    private static final String ODD = "{ \"model\" : \"gpt-4o-mini\",\n \"temperature\": 0.70000000000000000001,"
            + " \"messages\":[{\"content\":\"\\u00e9t\\u00e9 \\/ \u2603\",\"role\":\"user\"}] }  ";

    @Test
    void theProviderReceivesTheClientsBytes() throws IOException {
        try (ServerFixture f = new ServerFixture()) {
            f.stub.setDefault(StubResponse.chatCompletion("ok"));
            ServerFixture.Answer a;
            try (Socket s = ServerFixture.connect(f.server)) {
                ServerFixture.write(s, ServerFixture.post("/v1/chat/completions", SERVER_KEY, ODD));
                a = ServerFixture.read(s.getInputStream());
            }
            assertEquals(200, a.status(), a.text());
            assertArrayEquals(
                    ODD.getBytes(StandardCharsets.UTF_8), f.stub.lastRequest().body());
        }
    }
}
