package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.guardrails.pii.PiiCategory;
import dev.switchboard.guardrails.pii.PiiFinding;
import dev.switchboard.guardrails.pii.PiiDetector;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Reads the {@code categories} parameter of the PII checks and reports findings as counts, never values. */
final class PiiCategories {
    private PiiCategories() {}

    static Set<PiiCategory> read(ObjectNode params) {
        List<String> names = Params.strings(params, "categories", true);
        if (names.isEmpty()) {
            return EnumSet.allOf(PiiCategory.class);
        }
        Set<PiiCategory> out = EnumSet.noneOf(PiiCategory.class);
        for (String n : names) {
            try {
                out.add(PiiCategory.parse(n));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter 'categories': " + e.getMessage(), e);
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
