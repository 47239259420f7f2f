package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.stream.StreamPump;
import java.math.BigDecimal;

/**
 * The running cost of one streamed attempt, checked against its cap as each chunk passes
 * ({@link CostCapStage}). Output tokens are counted from the deltas — the larger of one token per
 * delta that carries text (content, tool-call arguments, a refusal, legacy {@code text}, a
 * Responses {@code *.delta}) and the text's characters / 4 — until the provider reports usage,
 * which then replaces the count (prompt and completion tokens both). The prompt is the estimate made
 * before the call. Cost = prompt tokens × input price + output tokens × output price. Runs on the
 * pump's owner thread only.
 */
final class CostMeter implements StreamPump.Meter {
    private final BigDecimal cap;
    private final String capSource;
    private final BigDecimal inputPrice;
    private final BigDecimal outputPrice;
    private final long promptEstimate;
    private final String model;
    private long chars;
    private long deltas;
    private Usage reported;

    CostMeter(
            BigDecimal cap,
            String capSource,
            BigDecimal inputPrice,
            BigDecimal outputPrice,
            long promptEstimate,
            String model) {
        this.cap = cap;
        this.capSource = capSource;
        this.inputPrice = inputPrice;
        this.outputPrice = outputPrice;
        this.promptEstimate = promptEstimate;
        this.model = model;
    }

    @Override
    public ObjectNode check(ObjectNode chunk) {
        JsonNode u = chunk.get("usage");
        if (u == null || !u.isObject()) {
            u = chunk.path("response").get("usage");
        }
        if (u != null && u.isObject()) {
            reported = Usage.fromOpenAi(u);
        }
        long before = chars;
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            chars += length(delta.path("content")) + length(delta.path("refusal")) + length(choice.path("text"));
            for (JsonNode call : delta.path("tool_calls")) {
                chars += length(call.path("function").path("arguments"));
            }
        }
        if (chunk.path("type").asText("").endsWith(".delta")) {
            chars += length(chunk.path("delta"));
        }
        if (chars > before) {
            deltas++;
        }
        BigDecimal cost = running();
        if (cost.compareTo(cap) <= 0) {
            return null;
        }
        String msg = "the stream's cost passed its cap: about $" + CostCapStage.usd(cost) + " so far ("
                + promptTokens() + " prompt + " + outputTokens() + " output tokens of " + model
                + (reported != null ? ", as the provider reported" : ", output counted from the deltas")
                + ") > $" + CostCapStage.usd(cap) + " (" + capSource + "); the gateway ended the stream";
        return CostCapStage.envelope(msg, cost, cap);
    }

    private long promptTokens() {
        return reported != null && reported.promptTokens() > 0 ? reported.promptTokens() : promptEstimate;
    }

    private long outputTokens() {
        return reported != null ? reported.completionTokens() : Math.max(deltas, (chars + 3) / 4);
    }

    BigDecimal running() {
        return inputPrice
                .multiply(BigDecimal.valueOf(promptTokens()))
                .add(outputPrice.multiply(BigDecimal.valueOf(outputTokens())));
    }

    @Override
    public int textChars() {
        return (int) Math.min(Integer.MAX_VALUE, chars);
    }

    private static long length(JsonNode n) {
        return n.isTextual() ? n.textValue().length() : 0;
    }
}
