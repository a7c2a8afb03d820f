package dev.monkeytown.build.builds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = RetryPolicy.DEFAULT; // limit 2, on infra and timeout, 30 s

    @Test
    void retriesAllowedClassesUpToTheLimitWithDoublingBackoff() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), policy.retryAfter(FailureClass.INFRA, 1, false));
        assertEquals(Optional.of(Duration.ofSeconds(60)), policy.retryAfter(FailureClass.TIMEOUT, 2, false));
        assertEquals(Optional.empty(), policy.retryAfter(FailureClass.INFRA, 3, false), "limit 2: three attempts");
    }

    @Test
    void aDeterministicBuildFailureIsNotRetriedByDefault() {
        assertEquals(Optional.empty(), policy.retryAfter(FailureClass.BUILD, 1, false));
        RetryPolicy flaky = new RetryPolicy(1, EnumSet.of(FailureClass.BUILD), Duration.ZERO);
        assertEquals(Optional.of(Duration.ZERO), flaky.retryAfter(FailureClass.BUILD, 1, false));
    }

    @Test
    void aHeldPipelineRetriesNothingByItself() {
        assertEquals(Optional.empty(), policy.retryAfter(FailureClass.INFRA, 1, true));
    }

    @Test
    void backoffIsCapped() {
        RetryPolicy many = new RetryPolicy(10, EnumSet.of(FailureClass.INFRA), Duration.ofMinutes(20));
        assertEquals(Optional.of(RetryPolicy.MAX_BACKOFF), many.retryAfter(FailureClass.INFRA, 5, false));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(-1, EnumSet.noneOf(FailureClass.class),
                Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> policy.retryAfter(FailureClass.INFRA, 0, false));
    }
}
