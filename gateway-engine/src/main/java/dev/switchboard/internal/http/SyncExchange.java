package dev.switchboard.internal.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An exchange run with the JDK client's synchronous {@code send} on a pooled thread, seen as a
 * future. Two JDK 17 behaviours make this the way to send:
 *
 * <ul>
 *   <li>{@code sendAsync} hands every answer to {@code CompletableFuture}'s default executor, which on
 *       a machine of two cores or fewer starts a new thread per task: a thread per request. The
 *       synchronous {@code send} starts none, and the pool's threads are reused.
 *   <li>Interrupting {@code send} (or cancelling {@code sendAsync}'s future) after the answer's headers
 *       came can leave the request counted as pending in the client for ever, and its idle keep-alive
 *       connections open. So the caller never interrupts this thread to give up: it waits on the
 *       future, and an abort cancels the answer's body (see {@link JdkHttpTransport}); cancelling the
 *       future interrupts the send only as {@link ExchangeAbort}'s last resort for a silent upstream.
 * </ul>
 *
 * <p>An answer that arrives after the future was cancelled is handed to {@code discard}, which
 * releases its body (its connection).
 */
final class SyncExchange {
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Threads made as needed and ended after 30 s idle; daemons, so they never keep a JVM alive. */
    private static final ExecutorService SENDERS =
            new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "switchboard-exchange-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private SyncExchange() {}

    /**
     * Starts {@code client.send(request, handler)} on a pooled thread.
     *
     * @param discard releases an answer nobody will take (the future was cancelled first)
     * @return the answer's future; cancelling it interrupts the send
     */
    static <T> CompletableFuture<HttpResponse<T>> start(
            HttpClient client,
            HttpRequest request,
            HttpResponse.BodyHandler<T> handler,
            Consumer<HttpResponse<T>> discard) {
        Runner<T> f = new Runner<>();
        SENDERS.execute(() -> f.run(client, request, handler, discard));
        return f;
    }

    /** The future, and the thread running its send while it runs. */
    private static final class Runner<T> extends CompletableFuture<HttpResponse<T>> {
        private Thread thread;
        private boolean cancelled;

        void run(
                HttpClient client,
                HttpRequest request,
                HttpResponse.BodyHandler<T> handler,
                Consumer<HttpResponse<T>> discard) {
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                thread = Thread.currentThread();
            }
            try {
                HttpResponse<T> r = client.send(request, handler);
                if (!complete(r)) {
                    discard.accept(r);
                }
            } catch (InterruptedException e) {
                completeExceptionally(e);
            } catch (Throwable t) {
                completeExceptionally(t);
            } finally {
                synchronized (this) {
                    thread = null; // no interrupt can come after this
                }
                Thread.interrupted(); // the pool's thread goes back clean
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean done = super.cancel(mayInterruptIfRunning);
            synchronized (this) {
                cancelled = true;
                if (thread != null) {
                    thread.interrupt();
                }
            }
            return done;
        }
    }
}
