package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StubResponseTest {
    private static final RecordedRequest CHAT = new RecordedRequest(
            "POST",
            "/v1/chat/completions",
            null,
            Map.of("content-type", "application/json"),
            "{\"model\":\"m\"}".getBytes());

    @Test
    void withersReturnNewValuesAndLeaveTheOriginalUntouched() {
        StubResponse base = StubResponse.json(200, "{}");
        StubResponse changed = base.status(201).header("X-A", "1").retryAfter("3");

        assertNotSame(base, changed);
        assertEquals(200, base.statusCode());
        assertEquals(201, changed.statusCode());
        assertEquals("1", changed.headers().get("x-a"));
        assertEquals("3", changed.headers().get("retry-after"));
        assertTrue(!base.headers().containsKey("x-a"));
    }

    @Test
    void errorTypesFollowTheStatus() {
        assertEquals("invalid_request_error", errorType(400));
        assertEquals("authentication_error", errorType(401));
        assertEquals("permission_error", errorType(403));
        assertEquals("rate_limit_error", errorType(429));
        assertEquals("server_error", errorType(502));
        assertEquals("api_error", errorType(418));
    }

    @Test
    void jsonTreeBodyIsSerialised() {
        JsonNode body = Json.parse("{\"a\":[1,2]}");
        assertEquals(body, Json.parse(StubResponse.json(200, body).bodyFor(CHAT)));
    }

    @Test
    void invalidArgumentsAreRejectedWithTheirName() {
        IllegalArgumentException status =
                assertThrows(IllegalArgumentException.class, () -> StubResponse.json(99, "{}"));
        assertTrue(status.getMessage().contains("99"));
        assertThrows(IllegalArgumentException.class, () -> StubResponse.json(200, "{}")
                .cutAfterEvents(-1));
        IllegalArgumentException delay = assertThrows(IllegalArgumentException.class, () -> StubResponse.json(200, "{}")
                .delay(Duration.ofMillis(-1)));
        assertTrue(delay.getMessage().contains("delay"));
        assertThrows(IllegalArgumentException.class, () -> StubResponse.json(200, "{}")
                .header("a\r\nb", "x"));
        assertThrows(IllegalArgumentException.class, () -> StubResponse.embeddings(0));
        assertThrows(IllegalArgumentException.class, () -> StubResponse.chatCompletion("x", -1, 0));
    }

    private static String errorType(int status) {
        return Json.parse(StubResponse.error(status, "m").bodyFor(CHAT))
                .at("/error/type")
                .asText();
    }
}
