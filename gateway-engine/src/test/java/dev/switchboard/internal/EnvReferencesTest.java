package dev.switchboard.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EnvReferencesTest {
    private static final Function<String, String> ENV = Map.of("A", "alpha", "B_2", "beta", "EMPTY", "")::get;

    private static EnvReferences.UnresolvedException fails(String value, Function<String, String> env) {
        return assertThrows(EnvReferences.UnresolvedException.class, () -> EnvReferences.expand(value, env));
    }

    @Test
    void referencesAreReplacedAnywhereInTheValue() {
        assertEquals("alpha", EnvReferences.expand("${A}", ENV));
        assertEquals("x-alpha-beta-y", EnvReferences.expand("x-${A}-${B_2}-y", ENV));
        assertEquals("plain", EnvReferences.expand("plain", ENV));
        assertEquals("cost: $5", EnvReferences.expand("cost: $5", ENV));
        assertNull(EnvReferences.expand(null, ENV));
    }

    @Test
    void doubleDollarEscapesAReference() {
        assertEquals("${A}", EnvReferences.expand("$${A}", ENV));
        assertEquals("alpha${B_2}", EnvReferences.expand("${A}$${B_2}", ENV));
        assertEquals("${A}", EnvReferences.expand("$${A}", null), "escapes need no environment");
    }

    @Test
    void failuresNameTheVariableAndTheReasonButNeverAValue() {
        EnvReferences.UnresolvedException unset = fails("${MISSING}", ENV);
        assertEquals(EnvReferences.Reason.NOT_SET, unset.reason());
        assertEquals("MISSING", unset.variable());
        assertEquals("environment variable MISSING is not set", unset.getMessage());
        assertEquals(EnvReferences.Reason.EMPTY, fails("${EMPTY}", ENV).reason());
        assertEquals(EnvReferences.Reason.NOT_ALLOWED, fails("${A}", null).reason());
        EnvReferences.UnresolvedException bad = fails("sk-topsecret${A", ENV);
        assertEquals(EnvReferences.Reason.MALFORMED, bad.reason());
        assertFalse(bad.getMessage().contains("topsecret"));
        assertEquals(EnvReferences.Reason.MALFORMED, fails("${1A}", ENV).reason());
        assertEquals(EnvReferences.Reason.MALFORMED, fails("${A-B}", ENV).reason());
        assertEquals(EnvReferences.Reason.MALFORMED, fails("${}", ENV).reason());
    }
}
