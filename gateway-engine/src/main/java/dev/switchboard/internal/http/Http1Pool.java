package dev.switchboard.internal.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Idle keep-alive connections per route (scheme, host, port): a LIFO per route, so the most recently
 * used connection (the one least likely to have been closed by the server) is taken first, at most
 * {@code maxIdlePerRoute} kept (the oldest closed past that). A connection idle longer than the idle
 * timeout is closed when it is met: taken, or found at the old end of its route's queue on a release.
 * No background thread: a route nobody calls again keeps its idle connections until {@link #close()}.
 */
final class Http1Pool {
    /** The map key of a route. */
    private record Key(boolean tls, String host, int port) {}

    /** A route: where its connections go, its Host header, its idle connections. */
    static final class Route {
        final boolean tls;
        /** The host as the URI has it (an IPv6 literal in brackets). */
        final String host;
        /** The host to resolve and connect to (no brackets). */
        final String connectHost;

        final int port;
        /** {@code host:port}, for messages. */
        final String where;
        /** The {@code Host} header's value: the port only when it is not the scheme's default. */
        final byte[] hostHeader;

        private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();

        private Route(Key key, int uriPort) {
            this.tls = key.tls;
            this.host = key.host;
            this.connectHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            this.port = key.port;
            this.where = host + ":" + port;
            this.hostHeader =
                    (uriPort == -1 || uriPort == (tls ? 443 : 80) ? host : where).getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return (tls ? "https://" : "http://") + where;
        }
    }

    private final ConcurrentHashMap<Key, Route> routes = new ConcurrentHashMap<>();
    private final int maxIdlePerRoute;
    private final long idleTimeoutNanos;
    private final LongSupplier clock;
    private volatile boolean closed;

    Http1Pool(int maxIdlePerRoute, long idleTimeoutNanos, LongSupplier clock) {
        this.maxIdlePerRoute = maxIdlePerRoute;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.clock = clock;
    }

    /**
     * The route of a URI.
     *
     * @throws IllegalArgumentException for a scheme other than http and https, or no host; the
     *     message names the scheme and host only (a query can carry a key)
     */
    Route route(URI uri) {
        String scheme = uri.getScheme();
        boolean tls;
        if ("https".equalsIgnoreCase(scheme)) {
            tls = true;
        } else if ("http".equalsIgnoreCase(scheme)) {
            tls = false;
        } else {
            throw new IllegalArgumentException(
                    "the HTTP/1.1 transport sends http and https URLs only, got scheme '" + scheme + "'");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException(
                    "the " + scheme + " URL has no host (the authority is missing or" + " not a valid host name)");
        }
        int uriPort = uri.getPort();
        Key key = new Key(tls, host, uriPort == -1 ? (tls ? 443 : 80) : uriPort);
        Route r = routes.get(key);
        if (r == null) {
            r = routes.computeIfAbsent(key, k -> new Route(k, uriPort));
        }
        return r;
    }

    /** {@return an idle connection of the route, or null}; expired ones met on the way are closed. */
    Http1Connection borrow(Route route) {
        List<Http1Connection> expired = null;
        Http1Connection found = null;
        long now = clock.getAsLong();
        synchronized (route.idle) {
            Http1Connection c;
            while ((c = route.idle.pollLast()) != null) {
                if (now - c.idleSince > idleTimeoutNanos) {
                    // the newest is too old: all older ones are too
                    expired = new ArrayList<>(route.idle.size() + 1);
                    expired.add(c);
                    expired.addAll(route.idle);
                    route.idle.clear();
                    break;
                }
                if (c.isOpen()) {
                    found = c;
                    break;
                }
            }
        }
        closeAll(expired);
        return found;
    }

    /** Keeps a connection whose exchange ended cleanly for the next one; closes it once the pool is closed. */
    void release(Http1Connection c) {
        if (closed || !c.isOpen()) {
            c.close();
            return;
        }
        Route route = c.route;
        long now = clock.getAsLong();
        c.idleSince = now;
        List<Http1Connection> drop = null;
        synchronized (route.idle) {
            if (closed) {
                drop = List.of(c);
            } else {
                route.idle.addLast(c);
                Http1Connection oldest;
                while ((oldest = route.idle.peekFirst()) != null
                        && (route.idle.size() > maxIdlePerRoute || now - oldest.idleSince > idleTimeoutNanos)) {
                    route.idle.pollFirst();
                    if (drop == null) {
                        drop = new ArrayList<>();
                    }
                    drop.add(oldest);
                }
            }
        }
        closeAll(drop);
    }

    /** Closes every idle connection; connections released later are closed instead of kept. */
    void close() {
        closed = true;
        for (Route route : routes.values()) {
            List<Http1Connection> drop;
            synchronized (route.idle) {
                drop = new ArrayList<>(route.idle);
                route.idle.clear();
            }
            closeAll(drop);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** {@return the idle connections of every route} */
    int idleCount() {
        int n = 0;
        for (Route route : routes.values()) {
            synchronized (route.idle) {
                n += route.idle.size();
            }
        }
        return n;
    }

    private static void closeAll(List<Http1Connection> connections) {
        if (connections != null) {
            for (Http1Connection c : connections) {
                c.close();
            }
        }
    }
}
