package dev.switchboard.internal.config;

/**
 * The {@code realtime} setting of a node: how long a Realtime session may last and stay silent.
 * Inherited like {@code request_timeout}; a child that sets {@code realtime} replaces it wholesale.
 *
 * <pre>{@code
 * {"realtime": {"session_timeout": 1800000, "idle_timeout": 120000}}
 * }</pre>
 *
 * @param sessionTimeoutMs the longest a session may last, in ms
 * @param idleTimeoutMs    the longest a session may go without an event in either direction, in ms
 */
public record RealtimeSettings(long sessionTimeoutMs, long idleTimeoutMs) {
    /** The longest session when no node sets one: 60 minutes, OpenAI's own limit. */
    public static final long DEFAULT_SESSION_TIMEOUT_MS = 60 * 60_000L;

    /** The longest silence when no node sets one: 5 minutes. */
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000L;

    /** The defaults: 60 minutes a session, 5 minutes of silence. */
    public static final RealtimeSettings DEFAULTS =
            new RealtimeSettings(DEFAULT_SESSION_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS);
}
