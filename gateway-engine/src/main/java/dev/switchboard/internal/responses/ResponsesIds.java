package dev.switchboard.internal.responses;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Ids of the objects the gateway makes: {@code resp_…} (unguessable: it is the key of stored state), {@code msg_…}, {@code fc_…}, {@code rs_…}. */
public final class ResponsesIds {
    private static final SecureRandom SECURE = new SecureRandom();

    private ResponsesIds() {}

    /** {@return a new response id: {@code resp_} and 48 hex digits from a secure random source} */
    public static String response() {
        byte[] b = new byte[24];
        SECURE.nextBytes(b);
        return "resp_" + HexFormat.of().formatHex(b);
    }

    /** {@return a new item id with the given prefix ({@code msg}, {@code fc}, {@code rs}) and 32 hex digits} */
    public static String item(String prefix) {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return prefix + "_" + HexFormat.of().formatHex(b);
    }
}
