package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyLimitsTest {
    @Test
    void builderRejectsNegativeValuesNamingTheSetting() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> KeyLimits.builder().requestsPerMinute(-1));
        assertTrue(e.getMessage().contains("requestsPerMinute"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> KeyLimits.builder().budgetUsdPerDay("five"));
        assertTrue(e.getMessage().contains("budgetUsdPerDay"), e.getMessage());
    }

    @Test
    void perValueOfAddsLimitsScopedToTheField() {
        KeyLimits limits = KeyLimits.builder()
                .requestsPerMinute(100)
                .perValueOf("user_id", KeyLimits.builder().requestsPerMinute(5).build())
                .build();
        assertEquals(Optional.empty(), limits.perMetadataKey());
        assertEquals(1, limits.perValueLimits().size());
        assertEquals(Optional.of("user_id"), limits.perValueLimits().get(0).perMetadataKey());
        assertEquals(Optional.of(5L), limits.perValueLimits().get(0).requestsPerMinute());
    }

    @Test
    void perValueLimitsCannotNest() {
        KeyLimits nested = KeyLimits.builder()
                .perValueOf("team", KeyLimits.builder().build())
                .build();
        assertThrows(IllegalArgumentException.class, () -> KeyLimits.builder().perValueOf("user_id", nested));
    }

    @Test
    void budgetsKeepTheirDecimals() {
        KeyLimits l = KeyLimits.builder().budgetUsdPerMonth("50.00").build();
        assertEquals(new BigDecimal("50.00"), l.budgetUsdPerMonth().orElseThrow());
        assertTrue(l.hasBudget());
        assertTrue(l.toString().contains("budgetUsdPerMonth=50.00"));
    }
}
