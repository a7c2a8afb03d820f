package dev.monkeytown.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;

/**
 * Every forwarding attempt can finish before the delivery's deadline: an attempt still running when GitHub has been
 * answered 503 could be taken by the consumer, and GitHub's redelivery would then deliver it twice.
 * (A Quarkus test only because SmallRye's programmatic guards need the application's fault tolerance runtime.)
 */
@QuarkusTest
@TestProfile(TwoSecretsProfile.class)
class RetryWindowTest {

    @Test
    void noAttemptStartsThatCouldOutlastTheDeadline() {
        WebhookConfig.ForwardingConfig config = config(Duration.ofMillis(900), Duration.ofMillis(400),
                Duration.ofMillis(20), 50);
        List<Long> starts = new CopyOnWriteArrayList<>();
        long first = System.nanoTime();

        List<Throwable> ended = new CopyOnWriteArrayList<>();
        WebhookForwarder.guard(config).get(() -> Uni.createFrom().item(() -> {
            starts.add((System.nanoTime() - first) / 1_000_000);
            return WebhookMetrics.Forwarded.DELIVERED;
        }).onItem().delayIt().by(Duration.ofMillis(100))
                .onItem().failWith(() -> new WebhookForwarder.ConsumerUnavailable(503)))
                .onFailure().invoke(ended::add)
                .onFailure().recoverWithItem(WebhookMetrics.Forwarded.FAILED).await().atMost(Duration.ofSeconds(5));

        assertTrue(starts.size() >= 2, "retried: " + starts + ", ended with " + ended);
        // from the first attempt, as the deadline counts; 50 ms for scheduling
        long last = starts.get(starts.size() - 1) - starts.get(0);
        assertTrue(last + 400 <= 900 + 50, "an attempt started " + last + " ms after the first could run past the"
                + " 900 ms deadline: " + starts);
    }

    @Test
    void aDeadlineWithNoRoomForARetryIsAConfigurationError() {
        assertEquals(Duration.ofSeconds(5), WebhookForwarder.retryWindow(config(Duration.ofSeconds(8),
                Duration.ofSeconds(3), Duration.ofMillis(200), 3)));
        assertThrows(IllegalStateException.class, () -> WebhookForwarder.retryWindow(config(Duration.ofSeconds(3),
                Duration.ofSeconds(3), Duration.ofMillis(200), 3)));
        // the first delay can be a quarter longer than the initial back-off
        assertThrows(IllegalStateException.class, () -> WebhookForwarder.retryWindow(config(
                Duration.ofMillis(3240), Duration.ofSeconds(3), Duration.ofMillis(200), 3)));
    }

    @Test
    void aSingleAttemptNeedsNoRoomForRetries() {
        assertEquals(Duration.ofSeconds(3), WebhookForwarder.retryWindow(config(Duration.ofSeconds(3),
                Duration.ofSeconds(3), Duration.ofMillis(200), 1)));
    }

    private static WebhookConfig.ForwardingConfig config(Duration deadline, Duration timeout, Duration backoff,
            int attempts) {
        Map<String, Object> values = Map.of("deadline", deadline, "timeout", timeout, "initialBackoff", backoff,
                "maxBackoff", backoff.multipliedBy(4), "attempts", attempts);
        return (WebhookConfig.ForwardingConfig) Proxy.newProxyInstance(RetryWindowTest.class.getClassLoader(),
                new Class<?>[]{WebhookConfig.ForwardingConfig.class}, (proxy, method, args) -> {
                    Object value = values.get(method.getName());
                    if (value == null) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return value;
                });
    }
}
