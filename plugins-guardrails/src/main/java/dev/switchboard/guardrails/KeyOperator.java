package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** The {@code operator} of the presence checks ({@code contains}, {@code jsonKeys}, {@code requiredMetadataKeys}). */
enum KeyOperator {
    ANY, ALL, NONE;

    static KeyOperator read(ObjectNode params, KeyOperator defaultValue) {
        String v = Params.oneOf(params, "operator", defaultValue.name().toLowerCase(Locale.ROOT), List.of("any", "all", "none"));
        return valueOf(v.toUpperCase(Locale.ROOT));
    }

    boolean test(int present, int total) {
        return switch (this) {
            case ANY -> present > 0;
            case ALL -> present == total;
            case NONE -> present == 0;
        };
    }

    String wording() {
        return name().toLowerCase(Locale.ROOT);
    }
}
