package dev.switchboard.redis;

/**
 * A Redis-backed store could not do its job: Redis was unreachable, refused a command, or held a
 * value the store does not understand. The message names the store, its (credential-free) address
 * and the operation; the Jedis exception is the cause.
 *
 * <pre>{@code
 * try {
 *     store.tryCharge(charges);
 * } catch (RedisStoreException e) {
 *     // "RedisStateStore at redis://127.0.0.1:6379 could not tryCharge: Failed to connect ..."
 * }
 * }</pre>
 */
public class RedisStoreException extends RuntimeException {
    /**
     * Creates the exception.
     *
     * @param message names the store, its credential-free address and the operation
     * @param cause   the Jedis exception
     */
    public RedisStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
