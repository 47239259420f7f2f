package dev.switchboard.providers.google;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the {@code thoughtSignature} Gemini attached to each function call, keyed by the tool-call
 * id the gateway handed out, so the next turn can send it back (thinking models reject a function
 * call turn without it, PROVIDERS.md §5.3). OpenAI's format has no slot for it. Bounded: the oldest
 * entries are forgotten first. Thread-safe.
 *
 * <pre>{@code
 * signatures.put("call_abc", "CiQB0e2Kb...");
 * String s = signatures.get("call_abc");
 * }</pre>
 */
final class ThoughtSignatures {
    private final Map<String, String> byCallId;

    ThoughtSignatures(int capacity) {
        this.byCallId = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void put(String callId, String signature) {
        byCallId.put(callId, signature);
    }

    synchronized String get(String callId) {
        return byCallId.get(callId);
    }
}
