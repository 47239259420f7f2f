package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.GatewayResponse;
import dev.switchboard.internal.http.JdkHttpTransport;
import dev.switchboard.testkit.StubUpstream;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

/** Issue 15, defect 10: a JDK client that follows redirects would send the API key to the redirected host. */
class RedirectingClientTest {
    @Test
    void aClientThatFollowsRedirectsIsRefusedAtBuild() {
        for (HttpClient.Redirect r :
                new HttpClient.Redirect[] {HttpClient.Redirect.ALWAYS, HttpClient.Redirect.NORMAL}) {
            HttpClient client = HttpClient.newBuilder().followRedirects(r).build();
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> Gateway.builder().httpClient(client));
            assertTrue(
                    e.getMessage().contains("followRedirects " + r)
                            && e.getMessage().contains("Redirect.NEVER"),
                    e.getMessage());
        }
    }

    @Test
    void aClientThatDoesNotFollowRedirectsWorksAndTheDefaultFollowsNone() {
        assertEquals(HttpClient.Redirect.NEVER, JdkHttpTransport.defaultClient().followRedirects());
        try (StubUpstream stub = StubUpstream.start()) {
            Gateway g = Gateway.builder()
                    .config(RoutingTest.target(stub, ""))
                    .httpClient(HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build())
                    .build();
            GatewayResponse r = g.execute(RoutingTest.chat());
            assertEquals(200, r.status());
            assertEquals(1, stub.hits());
        }
    }
}
