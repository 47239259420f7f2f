package dev.switchboard.server;

import dev.switchboard.Gateway;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.testkit.StubUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A stub upstream, a gateway routed to it and a server in front, on free ports; plus a raw HTTP/1.1 client. */
final class ServerFixture implements AutoCloseable {
    static final String SERVER_KEY = "sb-test-server-key-0123456789";
    static final String LIMITED_KEY = "sb-test-limited-key-0123456789";
    static final String UPSTREAM_KEY = "sk-upstream-secret-123456";

    final StubUpstream stub = StubUpstream.start();
    final BlockingQueue<RequestTrace> traces = new LinkedBlockingQueue<>();
    final ServerMetrics metrics = new ServerMetrics();
    final Gateway gateway;
    final SwitchboardServer server;

    ServerFixture() {
        this(b -> {});
    }

    ServerFixture(java.util.function.Consumer<SwitchboardServer.Builder> tune) {
        ServerKeys keys = ServerKeys.parse(
                """
                {"api_keys": {
                   "team-a": {"key": "${A_KEY}", "metadata": {"team": "a"}},
                   "limited": {"key": "%s", "virtual_keys": ["@stub-prod"]}},
                 "keys": {"@stub-prod": {"provider": "openai", "api_key": "sk-virtual-secret-99",
                                         "base_url": "%s"},
                          "@stub-other": {"provider": "openai", "api_key": "sk-virtual-secret-98",
                                          "base_url": "%s"}}}"""
                        .formatted(LIMITED_KEY, stub.openAiBaseUrl(), stub.openAiBaseUrl()),
                Map.of("A_KEY", SERVER_KEY)::get);
        Gateway.Builder gb = Gateway.builder()
                .config("{\"provider\":\"openai\",\"api_key\":\"" + UPSTREAM_KEY + "\",\"custom_host\":\""
                        + stub.openAiBaseUrl() + "\"}")
                .callListenerFactory(metrics)
                .logSink(traces::add);
        keys.providerKeys().forEach(gb::provider);
        gateway = gb.build();
        SwitchboardServer.Builder sb = SwitchboardServer.builder()
                .gateway(gateway)
                .port(0)
                .keys(keys)
                .metrics(metrics)
                .configs(Map.of(
                        "via-other",
                        dev.switchboard.api.Json.parse("{\"virtual_key\":\"@stub-other\"}"),
                        "plain",
                        dev.switchboard.api.Json.parse("{\"provider\":\"openai\",\"api_key\":\"sk-saved-config-1\","
                                + "\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}")));
        tune.accept(sb);
        server = sb.start();
    }

    String v1() {
        return server.url() + "/v1";
    }

    @Override
    public void close() {
        server.close(java.time.Duration.ofSeconds(5));
        gateway.close();
        stub.close();
    }

    /** One HTTP/1.1 answer read from a socket. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static Socket connect(SwitchboardServer server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(30_000);
        return s;
    }

    static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static String post(String path, String key, String json) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nx-portkey-api-key: " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json;
    }

    /** Reads one answer: status line, headers, then a Content-Length or chunked body (or to EOF). */
    static Answer read(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("connection closed before an answer");
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        String l;
        while ((l = line(in)) != null && !l.isEmpty()) {
            int c = l.indexOf(':');
            headers.put(
                    l.substring(0, c).trim().toLowerCase(Locale.ROOT),
                    l.substring(c + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                int size = Integer.parseInt(line(in).trim(), 16);
                if (size == 0) {
                    line(in);
                    break;
                }
                body.write(in.readNBytes(size));
                line(in);
            }
        } else {
            in.transferTo(body);
        }
        return new Answer(code, headers, body.toByteArray());
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    static List<String> lines(String text) {
        return List.of(text.split("\n"));
    }
}
