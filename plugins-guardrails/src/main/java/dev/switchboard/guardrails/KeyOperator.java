package dev.switchboard.guardrails;

import java.util.List;
import java.util.Locale;

/** The {@code operator} of the presence checks ({@code contains}, {@code jsonKeys}, {@code requiredMetadataKeys}). */
enum KeyOperator {
    ANY,
    ALL,
    NONE;

    /** Reads {@code operator} ({@code any}, {@code all} or {@code none}); a misspelling gets the nearest. */
    static KeyOperator read(ParameterReader params, KeyOperator defaultValue) {
        String v =
                params.oneOf("operator", defaultValue.name().toLowerCase(Locale.ROOT), List.of("any", "all", "none"));
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
