package dev.switchboard.spi;

/** When a guardrail check runs; the names match Portkey's {@code eventType}. */
public enum HookEvent {
    BEFORE_REQUEST("beforeRequestHook"),
    AFTER_REQUEST("afterRequestHook");

    private final String portkeyName;

    HookEvent(String portkeyName) {
        this.portkeyName = portkeyName;
    }

    public String portkeyName() {
        return portkeyName;
    }
}
