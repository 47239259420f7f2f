package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.InvalidParametersException;
import dev.switchboard.spi.ParameterProblem;
import dev.switchboard.spi.PreparedCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A custom guardrail check: fails when the text contains one of the configured words. Registered
 * in {@code META-INF/services/dev.switchboard.spi.GuardrailCheck}, so any gateway on this classpath
 * can use it as {@code "acme.noProfanity": {"words": ["darn"]}}.
 *
 * <p>{@link #prepare} runs once per use in a config, when the gateway is built: a missing or
 * malformed {@code words} is a {@code ConfigException} naming
 * {@code /input_guardrails/0/acme.noProfanity/words}, and the lower-cased word list is made once,
 * not per request.
 */
public final class NoProfanityCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "acme.noProfanity";
    }

    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        List<String> words = words(parameters);
        return context -> evaluate(context, words);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return evaluate(context, words(parameters));
    }

    /** The lower-cased words; every bad element is reported, not just the first. */
    private static List<String> words(ObjectNode parameters) {
        JsonNode words = parameters == null ? null : parameters.get("words");
        if (words == null || !words.isArray() || words.isEmpty()) {
            throw new InvalidParametersException(
                    "words", words == null ? "nothing" : words.toString(), "a non-empty array of words");
        }
        List<String> out = new ArrayList<>();
        List<ParameterProblem> problems = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            JsonNode w = words.get(i);
            if (w.isTextual() && !w.asText().isBlank()) {
                out.add(w.asText().toLowerCase(Locale.ROOT));
            } else {
                problems.add(
                        new ParameterProblem(ParameterProblem.path("words", i), w.toString(), "a non-blank string"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidParametersException(problems);
        }
        return List.copyOf(out);
    }

    private static CheckOutcome evaluate(CheckContext context, List<String> words) {
        String text = context.text().toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String w : words) {
            if (text.contains(w)) {
                found.add(w);
            }
        }
        ObjectNode data = Json.object();
        data.put("explanation", found.isEmpty() ? "no listed word found" : "found " + found);
        return CheckOutcome.of(found.isEmpty(), data);
    }
}
