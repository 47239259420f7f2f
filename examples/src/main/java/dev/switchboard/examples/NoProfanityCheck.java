package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A custom guardrail check: fails when the text contains one of the configured words. Registered
 * in {@code META-INF/services/dev.switchboard.spi.GuardrailCheck}, so any gateway on this classpath
 * can use it as {@code "acme.noProfanity": {"words": ["darn"]}}.
 */
public final class NoProfanityCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "acme.noProfanity";
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        JsonNode words = parameters.path("words");
        if (!words.isArray() || words.isEmpty()) {
            throw new IllegalArgumentException("acme.noProfanity: parameter \"words\" must be a non-empty array");
        }
        String text = context.text().toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (JsonNode w : words) {
            if (text.contains(w.asText().toLowerCase(Locale.ROOT))) {
                found.add(w.asText());
            }
        }
        ObjectNode data = Json.object();
        data.put("explanation", found.isEmpty() ? "no listed word found" : "found " + found);
        return CheckOutcome.of(found.isEmpty(), data);
    }
}
