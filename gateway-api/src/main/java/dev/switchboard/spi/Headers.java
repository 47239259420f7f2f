package dev.switchboard.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Header maps with lower-cased names: one value per name, and every value per name. */
final class Headers {
    final Map<String, String> first;
    final Map<String, List<String>> all;

    private Headers(Map<String, String> first, Map<String, List<String>> all) {
        this.first = first;
        this.all = all;
    }

    static Headers ofSingle(Map<String, String> headers) {
        Map<String, String> m = new LinkedHashMap<>();
        headers.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        return new Headers(Collections.unmodifiableMap(m), null);
    }

    static Headers ofMulti(Map<String, List<String>> headers) {
        Map<String, String> first = new LinkedHashMap<>();
        Map<String, List<String>> all = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!v.isEmpty()) {
                String name = k.toLowerCase(Locale.ROOT);
                first.putIfAbsent(name, v.get(0));
                all.computeIfAbsent(name, x -> new ArrayList<>()).addAll(v);
            }
        });
        all.replaceAll((k, v) -> List.copyOf(v));
        return new Headers(Collections.unmodifiableMap(first), Collections.unmodifiableMap(all));
    }

    List<String> values(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (all != null) {
            return all.getOrDefault(n, List.of());
        }
        String v = first.get(n);
        return v == null ? List.of() : List.of(v);
    }

    Map<String, List<String>> multi() {
        if (all != null) {
            return all;
        }
        Map<String, List<String>> m = new LinkedHashMap<>();
        first.forEach((k, v) -> m.put(k, List.of(v)));
        return Collections.unmodifiableMap(m);
    }
}
