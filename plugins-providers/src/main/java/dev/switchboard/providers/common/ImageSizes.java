package dev.switchboard.providers.common;

import java.util.List;

/**
 * OpenAI's image {@code size} ({@code 1024x1792}) read as width and height, and mapped to the nearest
 * aspect ratio a provider accepts ({@code 9:16}).
 *
 * <pre>{@code
 * ImageSizes.nearestRatio("1792x1024", List.of("1:1", "16:9", "9:16")); // "16:9"
 * }</pre>
 */
public final class ImageSizes {
    private ImageSizes() {}

    /**
     * Reads a size.
     *
     * @param size {@code <width>x<height>}, or null, {@code auto} or anything else
     * @return {@code [width, height]}, or null when {@code size} is not a size
     */
    public static int[] parse(String size) {
        if (size == null || !size.matches("\\d{1,5}x\\d{1,5}")) {
            return null;
        }
        String[] wh = size.split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        return w == 0 || h == 0 ? null : new int[] {w, h};
    }

    /**
     * The accepted ratio closest to the size's (compared as the logarithm of width / height).
     *
     * @param size   OpenAI's size, e.g. {@code 1536x1024}
     * @param ratios the ratios the provider accepts, {@code w:h}
     * @return the nearest ratio, or null when {@code size} is not a size
     */
    public static String nearestRatio(String size, List<String> ratios) {
        int[] wh = parse(size);
        if (wh == null) {
            return null;
        }
        double want = Math.log((double) wh[0] / wh[1]);
        String best = null;
        double bestDistance = Double.MAX_VALUE;
        for (String r : ratios) {
            String[] p = r.split(":");
            double d = Math.abs(Math.log(Double.parseDouble(p[0]) / Double.parseDouble(p[1])) - want);
            if (d < bestDistance) {
                bestDistance = d;
                best = r;
            }
        }
        return best;
    }
}
