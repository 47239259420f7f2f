package dev.switchboard.guardrails;

import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.support.HookText;

/** Writes a rewritten hook text back into the side of the exchange the check looked at. */
final class TextRewrite {
    private TextRewrite() {}

    static CheckOutcome apply(CheckContext context, CheckOutcome outcome, String newText) {
        if (context.event() == HookEvent.BEFORE_REQUEST) {
            return context.request() == null
                    ? outcome
                    : outcome.withTransformedRequest(
                            HookText.withRequestText(context.endpoint(), context.request(), newText));
        }
        return context.response() == null
                ? outcome
                : outcome.withTransformedResponse(
                        HookText.withResponseText(context.endpoint(), context.response(), newText));
    }
}
