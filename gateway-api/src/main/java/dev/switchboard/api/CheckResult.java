package dev.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;

/** The result of one guardrail check inside a hook (Portkey's check result object). */
public record CheckResult(
        String id,
        boolean verdict,
        JsonNode data,
        String error,
        long executionTimeMs,
        boolean transformed,
        boolean failOnError) {}
