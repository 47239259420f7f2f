package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.guardrails.pii.PiiCategory;
import dev.switchboard.guardrails.pii.PiiDetector;
import dev.switchboard.guardrails.pii.PiiFinding;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.PreparedCheck;
import java.util.List;
import java.util.Set;

/**
 * {@code default.pii}: fails when the text contains PII of the enabled {@code categories} (array or
 * comma-separated; default all of {@link PiiCategory}). {@code data.detected} counts the findings
 * per category; the values found are never reported.
 *
 * <pre>{@code {"id": "default.pii", "parameters": {"categories": ["EMAIL", "CREDIT_CARD"]}}}</pre>
 */
public final class PiiCheck implements GuardrailCheck {
    private final PiiDetector detector = new PiiDetector();

    @Override
    public String id() {
        return "default.pii";
    }

    /** Reads {@code categories} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        Set<PiiCategory> categories = read(parameters);
        return context -> evaluate(context, categories);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return evaluate(context, read(parameters));
    }

    private Set<PiiCategory> read(ObjectNode parameters) {
        ParameterReader p = new ParameterReader(id(), parameters, "categories");
        Set<PiiCategory> categories = PiiCategories.read(p);
        p.throwIfInvalid();
        return categories;
    }

    private CheckOutcome evaluate(CheckContext context, Set<PiiCategory> categories) {
        List<PiiFinding> findings = detector.detect(context.text(), categories);
        ObjectNode data = Explanations.of(
                findings.isEmpty()
                        ? "No PII found in the " + Explanations.side(context) + " text."
                        : "PII found in the " + Explanations.side(context) + " text: " + PiiDetector.counts(findings)
                                + ".");
        PiiCategories.describe(data, categories, findings);
        return CheckOutcome.of(findings.isEmpty(), data);
    }
}
