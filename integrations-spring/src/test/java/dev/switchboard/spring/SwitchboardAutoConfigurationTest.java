package dev.switchboard.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.redis.RedisCacheStore;
import dev.switchboard.redis.RedisStateStore;
import dev.switchboard.spi.CallListener;
import dev.switchboard.spi.StateStore;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration's parts one at a time, each in a context started and closed by the test. */
class SwitchboardAutoConfigurationTest {
    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class));
    private StubUpstream stub;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private String target(String extra) {
        return "{\"provider\":\"openai\",\"api_key\":\"${TEST_OPENAI_KEY}\",\"custom_host\":\"" + stub.openAiBaseUrl()
                + "\"" + extra + "}";
    }

    private static GatewayRequest chat() {
        return GatewayRequest.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build();
    }

    @Test
    void closingTheContextClosesTheGatewayButTheClientsNeverCloseIt() {
        AtomicReference<Gateway> seen = new AtomicReference<>();
        runner.withPropertyValues("switchboard.config-json=" + target(""), "TEST_OPENAI_KEY=sk-test-close")
                .run(context -> {
                    Gateway gateway = context.getBean(Gateway.class);
                    seen.set(gateway);
                    assertNotNull(context.getBean(OpenAIClient.class));
                    stub.enqueue(StubResponse.chatCompletion("open"));
                    assertEquals(200, gateway.execute(chat()).status());
                });
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> seen.get().execute(chat()));
        assertEquals("gateway is closed", e.getMessage());
    }

    @Test
    void secretsInTheConfigComeFromSpringsEnvironment() {
        runner.withPropertyValues("switchboard.config-json=" + target(""), "TEST_OPENAI_KEY=sk-test-from-spring")
                .run(context -> {
                    stub.enqueue(StubResponse.chatCompletion("ok"));
                    assertEquals(
                            200, context.getBean(Gateway.class).execute(chat()).status());
                    assertEquals(
                            "Bearer sk-test-from-spring", stub.lastRequest().header("authorization"));
                });
    }

    @Test
    void anUnsetVariableFailsStartupNamingThePropertyTheFieldAndTheVariable() {
        runner.withPropertyValues("switchboard.config-json=" + target("")).run(context -> {
            Throwable failure = context.getStartupFailure();
            assertNotNull(failure);
            String message = rootMessage(failure);
            assertTrue(message.startsWith("switchboard.config-json is not a valid gateway config: "), message);
            assertTrue(message.contains("/api_key"), message);
            assertTrue(message.contains("TEST_OPENAI_KEY"), message);
        });
    }

    @Test
    void noConfigFailsStartupSayingWhichPropertyToSet() {
        runner.run(context -> {
            String message = rootMessage(context.getStartupFailure());
            assertTrue(
                    message.startsWith("switchboard.config is not set; expected the gateway's config, e.g."
                            + " switchboard.config=classpath:gateway.json"),
                    message);
        });
    }

    @Test
    void aMissingConfigFileFailsStartupNamingTheResource() {
        runner.withPropertyValues("switchboard.config=classpath:no-such-gateway.json")
                .run(context -> {
                    String message = rootMessage(context.getStartupFailure());
                    assertEquals(
                            "switchboard.config=class path resource [no-such-gateway.json]: found no such resource;"
                                    + " expected a JSON file (on the classpath: src/main/resources/...)",
                            message);
                });
    }

    @Test
    void aConfigWithATypoFailsStartupWithTheGatewaysMessageAndNeverTheSecret() {
        runner.withPropertyValues(
                        "switchboard.config-json={\"provider\":\"opena1\",\"api_key\":\"sk-test-typo-secret\"}")
                .run(context -> {
                    String message = rootMessage(context.getStartupFailure());
                    assertTrue(message.startsWith("switchboard.config-json is not a valid gateway config: "), message);
                    assertTrue(message.contains("/provider: found provider \"opena1\""), message);
                    assertTrue(message.contains("(did you mean \"openai\"?)"), message);
                    assertFalse(message.contains("sk-test-typo-secret"), message);
                });
    }

    @Test
    void theHealthIndicatorListsOpenCircuitsAndIsOutOfServiceWhenEveryTargetIsOpen() {
        StubUpstream healthy = StubUpstream.start();
        try {
            String cb = ",\"cb_config\":{\"failure_threshold\":1,\"cooldown_interval\":600000}";
            String config = "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + target(cb) + ","
                    + "{\"provider\":\"openai\",\"api_key\":\"sk-test-healthy\",\"custom_host\":\""
                    + healthy.openAiBaseUrl() + "\"" + cb + "}]}";
            runner.withPropertyValues("switchboard.config-json=" + config, "TEST_OPENAI_KEY=sk-test-health")
                    .run(context -> {
                        SwitchboardHealthIndicator indicator = context.getBean(SwitchboardHealthIndicator.class);
                        Gateway gateway = context.getBean(Gateway.class);
                        Health before = indicator.health();
                        assertEquals(Status.UP, before.getStatus());
                        assertEquals(List.of(), before.getDetails().get("openCircuits"));
                        assertEquals(2, before.getDetails().get("targets"));

                        stub.setDefault(StubResponse.error(503, "down"));
                        healthy.enqueue(StubResponse.chatCompletion("fine"));
                        assertEquals(200, gateway.execute(chat()).status());
                        Health oneOpen = indicator.health();
                        assertEquals(Status.UP, oneOpen.getStatus(), "the second target can still answer");
                        List<?> open = (List<?>) oneOpen.getDetails().get("openCircuits");
                        assertEquals(1, open.size(), open.toString());
                        Map<?, ?> first = (Map<?, ?>) open.get(0);
                        assertEquals("config.targets[0]", first.get("target"));
                        assertEquals("openai", first.get("provider"));
                        assertNotNull(first.get("openUntil"));
                        assertFalse(oneOpen.toString().contains("sk-test"), oneOpen.toString());

                        healthy.setDefault(StubResponse.error(500, "down too"));
                        assertEquals(500, gateway.execute(chat()).status());
                        Health allOpen = indicator.health();
                        assertEquals(Status.OUT_OF_SERVICE, allOpen.getStatus(), allOpen.toString());
                        assertEquals(2, ((List<?>) allOpen.getDetails().get("openCircuits")).size());
                    });
        } finally {
            healthy.close();
        }
    }

    @Test
    void withoutSpringAiOnTheClasspathTheGatewayAndClientsStillComeUp() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.ai"))
                .withPropertyValues("switchboard.config-json=" + target(""), "TEST_OPENAI_KEY=sk-test-no-ai")
                .run(context -> {
                    assertNotNull(context.getBean(Gateway.class));
                    assertNotNull(context.getBean(OpenAIClient.class));
                    assertTrue(context.getBeansOfType(SwitchboardMetrics.class).isEmpty(), "no MeterRegistry bean");
                });
    }

    @Test
    void springAiModelsAreBuiltOnTheGatewayUnlessSwitchedOff() {
        runner.withPropertyValues("switchboard.config-json=" + target(""), "TEST_OPENAI_KEY=sk-test-ai")
                .run(context -> {
                    assertNotNull(context.getBean(OpenAiChatModel.class));
                    assertNotNull(context.getBean(OpenAiEmbeddingModel.class));
                });
        runner.withPropertyValues(
                        "switchboard.config-json=" + target(""),
                        "TEST_OPENAI_KEY=sk-test-ai",
                        "switchboard.spring-ai.enabled=false")
                .run(context ->
                        assertTrue(context.getBeansOfType(OpenAiChatModel.class).isEmpty()));
    }

    @Test
    void everyCallListenerFactoryBeanHearsEveryRequest() {
        List<String> heard = new CopyOnWriteArrayList<>();
        runner.withPropertyValues("switchboard.config-json=" + target(""), "TEST_OPENAI_KEY=sk-test-listen")
                .withBean(
                        "first",
                        CallListener.Factory.class,
                        () -> request -> new CallListener() {
                            @Override
                            public void requestEnd(dev.switchboard.api.RequestTrace trace) {
                                heard.add("first " + trace.status());
                            }
                        })
                .withBean(
                        "second",
                        CallListener.Factory.class,
                        () -> request -> new CallListener() {
                            @Override
                            public void requestEnd(dev.switchboard.api.RequestTrace trace) {
                                heard.add("second " + trace.status());
                            }
                        })
                .run(context -> {
                    stub.enqueue(StubResponse.chatCompletion("ok"));
                    context.getBean(Gateway.class).execute(chat());
                    assertEquals(
                            List.of("first 200", "second 200"),
                            heard.stream().sorted().toList());
                });
    }

    @Test
    void theJsonlLogGetsALinePerRequestAndIsClosedWithTheContext(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("requests.jsonl");
        runner.withPropertyValues(
                        "switchboard.config-json=" + target(""),
                        "TEST_OPENAI_KEY=sk-test-jsonl",
                        "switchboard.log.jsonl=" + log,
                        "switchboard.max-answer-bytes=1MB")
                .run(context -> {
                    stub.enqueue(StubResponse.chatCompletion("logged"));
                    context.getBean(Gateway.class).execute(chat());
                });
        List<String> lines = Files.readAllLines(log);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("\"status\":200"), lines.get(0));
        assertFalse(lines.get(0).contains("sk-test-jsonl"), lines.get(0));
    }

    @Test
    void aRedisUrlGivesTheGatewayRedisStoresClosedWithTheContext() {
        runner.withPropertyValues(
                        "switchboard.config-json=" + target(""),
                        "TEST_OPENAI_KEY=sk-test-redis",
                        "switchboard.redis.url=redis://127.0.0.1:1")
                .run(context -> {
                    assertNotNull(context.getBean(Gateway.class));
                    assertTrue(context.getBean(StateStore.class) instanceof RedisStateStore);
                    assertNotNull(context.getBean(RedisCacheStore.class));
                });
    }

    private static String rootMessage(Throwable t) {
        assertNotNull(t, "the context was expected to fail");
        Throwable c = t;
        while (c.getCause() != null
                && !(c instanceof IllegalStateException && c.getMessage().startsWith("switchboard"))) {
            c = c.getCause();
        }
        return c.getMessage();
    }
}
