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
 * {@code default.piiRedact} (mutator): replaces each PII finding of the enabled {@code categories}
 * with {@code [REDACTED:<CATEGORY>]} in the request text (before-request) or the answer text
 * (after-request). The verdict is true unless {@code failOnDetection} is set and something was found.
 *
 * <pre>{@code {"id": "default.piiRedact", "parameters": {"categories": "EMAIL,PHONE"}}}</pre>
 */
public final class PiiRedactMutator implements GuardrailCheck {
    private final PiiDetector detector = new PiiDetector();

    @Override
    public String id() {
        return "default.piiRedact";
    }

    /** The prepared parameters. */
    private record Settings(Set<PiiCategory> categories, boolean failOnDetection) {}

    /** Reads {@code categories} and {@code failOnDetection} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        Settings settings = read(parameters);
        return context -> evaluate(context, settings);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return evaluate(context, read(parameters));
    }

    private Settings read(ObjectNode parameters) {
        ParameterReader p = new ParameterReader(id(), parameters, "categories", "failOnDetection");
        Set<PiiCategory> categories = PiiCategories.read(p);
        boolean failOnDetection = p.bool("failOnDetection", false);
        p.throwIfInvalid();
        return new Settings(categories, failOnDetection);
    }

    private CheckOutcome evaluate(CheckContext context, Settings settings) {
        Set<PiiCategory> categories = settings.categories();
        boolean failOnDetection = settings.failOnDetection();
        String text = context.text();
        List<PiiFinding> findings = detector.detect(text, categories);
        ObjectNode data = Explanations.of(
                findings.isEmpty()
                        ? "No PII to redact."
                        : "Redacted " + findings.size() + " PII finding(s) in the " + Explanations.side(context)
                                + " text.");
        PiiCategories.describe(data, categories, findings);
        CheckOutcome outcome = CheckOutcome.of(!(failOnDetection && !findings.isEmpty()), data);
        return findings.isEmpty() ? outcome : TextRewrite.apply(context, outcome, PiiDetector.redact(text, findings));
    }
}
