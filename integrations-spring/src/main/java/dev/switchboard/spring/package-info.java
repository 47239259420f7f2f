/**
 * Spring Boot auto-configuration for Switchboard: a {@code Gateway} bean built from the
 * {@code switchboard.*} properties ({@link dev.switchboard.spring.SwitchboardProperties}) and closed
 * with the context, the OpenAI SDK's {@code OpenAIClient} and {@code OpenAIClientAsync} running
 * through it, Spring AI's OpenAI chat and embedding models on those clients (Spring AI 2.x), Micrometer
 * meters ({@link dev.switchboard.spring.SwitchboardMetrics}) and an Actuator health indicator
 * ({@link dev.switchboard.spring.SwitchboardHealthIndicator}).
 */
@NullMarked
package dev.switchboard.spring;

import org.jspecify.annotations.NullMarked;
