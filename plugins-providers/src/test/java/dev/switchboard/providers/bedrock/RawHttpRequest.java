package dev.switchboard.providers.bedrock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request from the SigV4 suites' {@code .req}/{@code request.txt} files: raw HTTP/1.1 with LF line
 * ends, {@code Name:value} headers (a line starting with whitespace continues the previous value), a
 * blank line, then the body. The request target may contain raw spaces and UTF-8 (the suite's
 * unencoded paths), so the target is everything between the first and the last space of line one.
 */
record RawHttpRequest(String method, String path, String query, List<Map.Entry<String, String>> headers, byte[] body) {

    static RawHttpRequest parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int split = text.indexOf("\n\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 2);
        String[] lines = head.split("\n");
        String requestLine = lines[0];
        String method = requestLine.substring(0, requestLine.indexOf(' '));
        String target = requestLine.substring(requestLine.indexOf(' ') + 1, requestLine.lastIndexOf(' '));
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        List<String[]> raw = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && !raw.isEmpty()) {
                String[] last = raw.get(raw.size() - 1);
                last[1] = last[1] + "\n" + line;
            } else {
                int colon = line.indexOf(':');
                raw.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
            }
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        raw.forEach(h -> headers.add(Map.entry(h[0], h[1])));
        return new RawHttpRequest(method, path, query, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    SigningRequest toSigningRequest() {
        return new SigningRequest(method, path, query, headers, body);
    }
}
