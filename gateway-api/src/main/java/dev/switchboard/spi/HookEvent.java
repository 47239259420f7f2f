package dev.switchboard.spi;

/** When a guardrail check runs; the names match Portkey's {@code eventType}. */
public enum HookEvent {
    /** Before the provider call; the check sees the request. */
    BEFORE_REQUEST("beforeRequestHook"),
    /** After the provider answered; the check sees the request and the response. */
    AFTER_REQUEST("afterRequestHook");

    private final String portkeyName;

    HookEvent(String portkeyName) {
        this.portkeyName = portkeyName;
    }

    /** {@return Portkey's name for the event ({@code beforeRequestHook}), as checks and webhooks expect it} */
    public String portkeyName() {
        return portkeyName;
    }
}
