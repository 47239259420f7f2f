package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.accounting.BillableUnits;
import dev.switchboard.api.Endpoint;

/**
 * Reads what an image, audio or moderation answer is billed by ({@link BillableUnits}) from the
 * request's fields and the answer: images in {@code data} with the requested {@code quality} and
 * {@code size}; the audio's {@code duration} ({@code verbose_json}) or usage {@code seconds};
 * the characters of a speech {@code input}; a moderation's model.
 */
final class MediaMeter {
    private MediaMeter() {}

    /**
     * The units of a successful answer, or null for an endpoint priced by tokens as chat is (or a failure).
     *
     * @param endpoint the endpoint
     * @param request  the request's fields as sent (JSON body, or a form's text fields)
     * @param answer   the JSON answer, or null for a binary one (text, subtitles, audio, SSE)
     * @param ok       whether the answer is a success
     */
    static BillableUnits measure(Endpoint endpoint, ObjectNode request, ObjectNode answer, boolean ok) {
        if (!ok) {
            return null;
        }
        return switch (endpoint) {
            case IMAGES_GENERATIONS, IMAGES_EDITS, IMAGES_VARIATIONS -> {
                JsonNode data = answer == null ? null : answer.get("data");
                Integer n = data != null && data.isArray() ? data.size() : null;
                long imageIn = answer == null
                        ? 0
                        : answer.path("usage")
                                .path("input_tokens_details")
                                .path("image_tokens")
                                .asLong(0);
                yield BillableUnits.images(n, text(request, "quality"), text(request, "size"), imageIn);
            }
            case AUDIO_TRANSCRIPTIONS, AUDIO_TRANSLATIONS -> {
                JsonNode d = answer == null ? null : answer.get("duration");
                JsonNode usage = answer == null ? null : answer.get("usage");
                if (d != null && d.isNumber()) {
                    yield BillableUnits.audioSeconds(d.decimalValue());
                }
                if (usage != null
                        && "duration".equals(usage.path("type").asText())
                        && usage.path("seconds").isNumber()) {
                    yield BillableUnits.audioSeconds(usage.path("seconds").decimalValue());
                }
                yield BillableUnits.audioSeconds(null);
            }
            case AUDIO_SPEECH -> {
                String input = text(request, "input");
                yield input == null
                        ? BillableUnits.audioSeconds(null)
                        : BillableUnits.characters(input.codePointCount(0, input.length()));
            }
            case MODERATIONS -> BillableUnits.tokens(answer == null ? null : text(answer, "model"));
            default -> null;
        };
    }

    private static String text(ObjectNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
