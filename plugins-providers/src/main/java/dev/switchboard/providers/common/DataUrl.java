package dev.switchboard.providers.common;

/**
 * A {@code data:<media type>;base64,<data>} URL split into its parts, shared by the Anthropic and
 * Gemini mappers.
 *
 * <pre>{@code
 * DataUrl d = DataUrl.parse("data:image/png;base64,iVBOR..."); // mediaType "image/png", data "iVBOR..."
 * }</pre>
 */
public record DataUrl(String mediaType, String data) {
    /** Parses a base64 data URL; returns null when {@code url} is not one. */
    public static DataUrl parse(String url) {
        if (url == null || !url.regionMatches(true, 0, "data:", 0, 5)) {
            return null;
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            return null;
        }
        String meta = url.substring(5, comma);
        if (!meta.toLowerCase(java.util.Locale.ROOT).endsWith(";base64")) {
            return null;
        }
        String mediaType = meta.substring(0, meta.length() - ";base64".length());
        return new DataUrl(mediaType.isEmpty() ? "application/octet-stream" : mediaType, url.substring(comma + 1));
    }
}
