package dev.switchboard.guardrails;

import static dev.switchboard.guardrails.Contexts.afterBuilder;
import static dev.switchboard.guardrails.Contexts.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 15, defect 10: {@code default.validUrls} does not call private addresses named in an answer. */
class ValidUrlsPrivateAddressTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private final LocalServer server;
    private final JdkTransport transport = new JdkTransport();

    ValidUrlsPrivateAddressTest() throws Exception {
        server = new LocalServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CheckOutcome run(ValidUrlsCheck check, String answer, String parameters) {
        CheckContext ctx = afterBuilder(answer).transport(transport).build();
        return assertTimeoutPreemptively(BOUND, () -> check.checkAsync(ctx, params(parameters))
                .toCompletableFuture()
                .join());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void loopbackPrivateLinkLocalAndMetadataUrlsAreInvalidAndNeverRequested() {
        server.answer("/ok", 200, "");
        int port = server.uri("/").getPort();
        List<String> urls = List.of(
                server.uri("/ok").toString(),
                "http://localhost:" + port + "/ok",
                "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/admin",
                "http://192.168.1.1/",
                "http://0.0.0.0:" + port + "/ok");
        // (an IPv6 literal such as http://[fd00:ec2::254]/ is never found: Portkey's URL pattern stops at '[';
        // the filter itself knows those addresses, see theFilterKnowsPublicFromPrivate)
        CheckOutcome o = run(new ValidUrlsCheck(), "links: " + String.join(" ", urls), "{}");
        assertFalse(o.verdict(), o.data().toString());
        assertEquals(urls, texts(o.data().path("invalidUrls")));
        assertEquals(urls, texts(o.data().path("blockedUrls")));
        assertEquals(0, server.received.size(), "nothing reached the loopback server");
        assertEquals(0, transport.sent.get(), "no request was sent at all");
    }

    @Test
    void allowPrivateAddressesTurnsTheFilterOff() {
        server.answer("/ok", 200, "");
        CheckOutcome o = run(new ValidUrlsCheck(), "see " + server.uri("/ok"), "{\"allowPrivateAddresses\":true}");
        assertTrue(o.verdict(), o.data().toString());
        assertEquals(1, server.received.size());
        assertTrue(o.data().path("blockedUrls").isMissingNode());
        assertThrows(IllegalArgumentException.class, () -> new ValidUrlsCheck()
                .prepare(params("{\"allowPrivateAddresses\":\"maybe\"}")));
    }

    @Test
    void aRedirectToAPrivateAddressIsNotFollowed() throws Exception {
        try (LocalServer internal = new LocalServer()) {
            internal.answer("/secret", 200, "");
            String hop = "http://localhost:" + internal.uri("/").getPort() + "/secret";
            server.answerRedirect("/moved", 302, hop);
            // the first host passes the filter as if it were public; localhost resolves as usual
            ValidUrlsCheck check = new ValidUrlsCheck(
                    host -> true,
                    host -> host.equals("127.0.0.1")
                            ? new InetAddress[] {InetAddress.getByName("93.184.216.34")}
                            : InetAddress.getAllByName(host));
            String url = server.uri("/moved").toString();
            CheckOutcome o = run(check, "see " + url, "{}");
            assertFalse(o.verdict());
            assertEquals(List.of(url), texts(o.data().path("blockedUrls")));
            assertEquals(1, server.received.size(), "the public first hop was requested");
            assertEquals(0, internal.received.size(), "the private redirect target was not");
        }
    }

    @Test
    void theFilterKnowsPublicFromPrivate() throws Exception {
        for (String a : List.of(
                "127.0.0.1",
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.0.1",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1",
                "255.255.255.255",
                "198.18.0.1",
                "::1",
                "::",
                "fe80::1",
                "fd00:ec2::254",
                "fc00::1",
                "::ffff:10.0.0.1",
                "64:ff9b::a9fe:a9fe",
                "2002:a9fe:a9fe::1",
                "2001:db8::1")) {
            assertTrue(PrivateAddresses.isPrivate(InetAddress.getByName(a)), a);
        }
        for (String a : List.of(
                "93.184.216.34",
                "8.8.8.8",
                "172.32.0.1",
                "100.128.0.1",
                "2606:4700:4700::1111",
                "64:ff9b::808:808",
                "2002:808:808::1")) {
            assertFalse(PrivateAddresses.isPrivate(InetAddress.getByName(a)), a);
        }
    }
}
