package dev.switchboard.examples;

import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application using Spring AI's {@code ChatClient}, whose OpenAI model runs through a
 * Switchboard gateway in-process: {@code integrations-spring} builds the gateway from the
 * {@code switchboard.*} properties and hands Spring AI an {@code OpenAIClient} backed by it. The
 * config is a fallback whose first target (a local stub) is down; the second (another stub) answers.
 * The properties a real application keeps in {@code application.properties} are passed in code here
 * only because the stubs' ports are known at run time.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class WithSpringAi {
    /** Created by Spring. */
    public WithSpringAi() {}

    /**
     * Runs the example.
     *
     * @param args passed to Spring Boot
     */
    public static void main(String[] args) {
        try (StubUpstream down = StubUpstream.start();
                StubUpstream up = StubUpstream.start()) {
            down.setDefault(StubResponse.error(503, "the stub is down on purpose"));
            String config =
                    """
                    {"strategy": {"mode": "fallback"},
                     "targets": [
                       {"provider": "openai", "api_key": "${STUB_KEY}", "custom_host": "%s"},
                       {"provider": "openai", "api_key": "${STUB_KEY}", "custom_host": "%s"}]}"""
                            .formatted(down.openAiBaseUrl(), up.openAiBaseUrl());
            Map<String, Object> properties = Map.ofEntries(
                    // an application writes switchboard.config=classpath:gateway.json
                    Map.entry("switchboard.config-json", config),
                    // ${STUB_KEY} comes from Spring's environment, as OPENAI_API_KEY would
                    Map.entry("STUB_KEY", "sk-stub-spring"),
                    Map.entry("spring.ai.openai.chat.options.model", "gpt-4o-mini"),
                    // Spring AI's other OpenAI models are not served through the gateway: switched off,
                    // or they would want an API key of their own and call OpenAI directly
                    Map.entry("spring.ai.model.image", "none"),
                    Map.entry("spring.ai.model.audio.speech", "none"),
                    Map.entry("spring.ai.model.audio.transcription", "none"),
                    Map.entry("spring.ai.model.moderation", "none"),
                    Map.entry("spring.main.banner-mode", "off"),
                    Map.entry("logging.level.root", "warn"));
            Gateway gateway;
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WithSpringAi.class)
                    .properties(properties)
                    .run(args)) {
                ChatClient chat = context.getBean(ChatClient.Builder.class).build();

                up.enqueue(StubResponse.chatCompletion("Hello from Spring AI through the gateway"));
                String answer = chat.prompt("Hello").call().content();
                System.out.println("1. ChatClient call: " + answer + " (calls: first target " + down.hits()
                        + ", second " + up.hits() + ")");

                up.enqueue(StubResponse.chatStream("Streamed", " by", " Spring", " AI"));
                List<String> pieces =
                        chat.prompt("Hello").stream().content().collectList().block();
                System.out.println(
                        "2. ChatClient stream: " + String.join("", pieces) + " (" + pieces.size() + " pieces)");

                System.out.println("3. the provider saw the config's key, not a placeholder: "
                        + up.lastRequest().header("authorization").startsWith("Bearer sk-stub-spring"));
                gateway = context.getBean(Gateway.class);
            }
            try {
                gateway.execute(GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[]}")
                        .build());
            } catch (IllegalStateException e) {
                System.out.println("4. after the context closed: " + e.getMessage());
            }
        }
    }
}
