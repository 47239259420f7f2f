package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.guardrails.pii.PiiCategory;
import dev.switchboard.guardrails.pii.PiiDetector;
import dev.switchboard.guardrails.pii.PiiFinding;
import dev.switchboard.spi.ParameterProblem;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Reads the {@code categories} parameter of the PII checks and reports findings as counts, never values. */
final class PiiCategories {
    private PiiCategories() {}

    /** Reads {@code categories} (array or comma-separated; absent or empty: all); an unknown name gets the nearest. */
    static Set<PiiCategory> read(ParameterReader params) {
        List<String> names = params.strings("categories", true);
        if (names.isEmpty()) {
            return EnumSet.allOf(PiiCategory.class);
        }
        boolean csv = params.get("categories").isTextual();
        List<String> known = Arrays.stream(PiiCategory.values()).map(Enum::name).toList();
        Set<PiiCategory> out = EnumSet.noneOf(PiiCategory.class);
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            try {
                out.add(PiiCategory.parse(n));
            } catch (IllegalArgumentException e) {
                params.problem(
                        csv ? "categories" : ParameterProblem.path("categories", i),
                        "\"" + n + "\"",
                        "a PII category (" + String.join(", ", known) + ")",
                        ParameterReader.nearest(n.trim().replace('-', '_'), known));
            }
        }
        return out;
    }

    static void describe(ObjectNode data, Set<PiiCategory> checked, List<PiiFinding> findings) {
        checked.forEach(c -> data.withArray("categoriesChecked").add(c.name()));
        ObjectNode detected = data.putObject("detected");
        PiiDetector.counts(findings).forEach((c, n) -> detected.put(c.name(), n));
        data.put("totalFindings", findings.size());
    }
}
