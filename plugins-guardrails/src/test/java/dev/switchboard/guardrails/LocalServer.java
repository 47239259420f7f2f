package dev.switchboard.guardrails;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback HTTP server for one test: fixed answers per path, and a record of what it received. */
final class LocalServer implements AutoCloseable {
    /** One received request. */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** A canned answer. */
    record Answer(int status, String body) {}

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();

    LocalServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
    }

    LocalServer answer(String path, int status, String body) {
        server.createContext(path, ex -> respond(ex, new Answer(status, body)));
        return this;
    }

    /** Answers {@code path} with a redirect to {@code location}. */
    LocalServer answerRedirect(String path, int status, String location) {
        server.createContext(path, ex -> {
            ex.getRequestBody().readAllBytes();
            received.add(new Received(
                    ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), ""));
            ex.getResponseHeaders().add("location", location);
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        return this;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void respond(HttpExchange ex, Answer a) throws IOException {
        byte[] in = ex.getRequestBody().readAllBytes();
        received.add(new Received(
                ex.getRequestMethod(),
                ex.getRequestURI().getPath(),
                Map.copyOf(ex.getRequestHeaders()),
                new String(in, StandardCharsets.UTF_8)));
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", "application/json");
        if (ex.getRequestMethod().equals("HEAD") || out.length == 0) {
            ex.sendResponseHeaders(a.status(), -1);
        } else {
            ex.sendResponseHeaders(a.status(), out.length);
            ex.getResponseBody().write(out);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
