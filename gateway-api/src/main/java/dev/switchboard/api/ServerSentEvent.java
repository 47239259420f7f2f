package dev.switchboard.api;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One server-sent event: optional {@code event:} name, {@code data:} payload (joined lines) and optional id.
 *
 * <pre>{@code
 * ServerSentEvent e = ServerSentEvent.data("{\"id\":\"chatcmpl-1\"}");
 * String wire = e.toWire(); // "data: {...}\n\n"
 * }</pre>
 */
public record ServerSentEvent(@Nullable String event, String data, @Nullable String id) {
    /** {@code data: [DONE]}, the last event of an OpenAI stream. */
    public static final ServerSentEvent DONE = new ServerSentEvent(null, "[DONE]", null);

    /**
     * An event with a payload only (no name, no id).
     *
     * @param data the payload
     * @return the event
     */
    public static ServerSentEvent data(String data) {
        return new ServerSentEvent(null, data, null);
    }

    /** {@return whether this is the {@code [DONE]} end marker} */
    public boolean isDone() {
        return "[DONE]".equals(data);
    }

    /** {@return the event in SSE wire form, terminated by a blank line} */
    public String toWire() {
        StringBuilder sb = new StringBuilder(data == null ? 16 : data.length() + 16);
        if (event != null) {
            sb.append("event: ").append(event).append('\n');
        }
        if (id != null) {
            sb.append("id: ").append(id).append('\n');
        }
        String d = data == null ? "" : data;
        int start = 0;
        while (true) {
            int nl = d.indexOf('\n', start);
            sb.append("data: ").append(d, start, nl < 0 ? d.length() : nl).append('\n');
            if (nl < 0) {
                break;
            }
            start = nl + 1;
        }
        return sb.append('\n').toString();
    }

    /** {@return {@link #toWire()} as UTF-8 bytes} */
    public byte[] toWireBytes() {
        return toWire().getBytes(StandardCharsets.UTF_8);
    }
}
