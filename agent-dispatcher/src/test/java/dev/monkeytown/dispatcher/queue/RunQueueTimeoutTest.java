package dev.monkeytown.dispatcher.queue;

import static dev.monkeytown.dispatcher.queue.TestRuns.at;
import static dev.monkeytown.dispatcher.queue.TestRuns.ids;
import static dev.monkeytown.dispatcher.queue.TestRuns.manual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class RunQueueTimeoutTest {

    private static final Function<String, Duration> THIRTY_MINUTES = agent -> Duration.ofMinutes(30);

    private final RunQueue queue = new RunQueue();

    @Test
    void measuredFromTheStartNotFromQueueing() {
        queue.enqueue(manual("a1", "alpha", 0));
        queue.markDispatched("a1", at(3600)); // waited an hour in line
        queue.markRunning("a1", at(3600));
        assertEquals(List.of(), queue.expired(at(3600 + 1799), THIRTY_MINUTES));
        assertEquals(List.of("a1"), ids(queue.expired(at(3600 + 1800), THIRTY_MINUTES)));
    }

    @Test
    void dispatchedRunsThatNeverStartEndByTheStartBound() {
        queue.enqueue(manual("a1", "alpha", 0));
        queue.enqueue(manual("b1", "beta", 0));
        queue.dispatchNext(100, at(10));
        queue.markRunning("b1", at(20));
        assertEquals(List.of(), ids(queue.notStarted(at(10 + 3599), Duration.ofHours(1))));
        assertEquals(List.of("a1"), ids(queue.notStarted(at(10 + 3600), Duration.ofHours(1))), "b1 started");
    }

    @Test
    void measuredFromTheRunnersConfirmedStart() {
        queue.enqueue(manual("a1", "alpha", 0));
        queue.markDispatched("a1", at(0));
        queue.markRunning("a1", at(600)); // the runner took ten minutes to start it
        assertEquals(List.of(), ids(queue.expired(at(1800), THIRTY_MINUTES)));
        assertEquals(List.of("a1"), ids(queue.expired(at(600 + 1800), THIRTY_MINUTES)));
    }

    @Test
    void aRunThatNeverStartedIsNotTimedOutByItsAgentsTimeout() {
        queue.enqueue(manual("a1", "alpha", 0));
        queue.markDispatched("a1", at(0)); // an Actions outage: accepted, never picked up
        assertEquals(List.of(), ids(queue.expired(at(2 * 3600), THIRTY_MINUTES)));
    }

    @Test
    void queuedRunsNeverExpire() {
        queue.enqueue(manual("a1", "alpha", 0));
        assertEquals(List.of(), queue.expired(at(1_000_000), THIRTY_MINUTES));
    }

    @Test
    void eachAgentUsesItsOwnTimeoutAndOldestDispatchComesFirst() {
        Map<String, Duration> timeouts = Map.of("fast", Duration.ofMinutes(5), "slow", Duration.ofMinutes(60),
                "mid", Duration.ofMinutes(30));
        queue.enqueue(manual("s", "slow", 0));
        queue.enqueue(manual("m", "mid", 0));
        queue.enqueue(manual("f", "fast", 0));
        for (var start : Map.of("s", 0, "m", 60, "f", 120).entrySet()) {
            queue.markDispatched(start.getKey(), at(start.getValue()));
            queue.markRunning(start.getKey(), at(start.getValue()));
        }
        assertEquals(List.of("f"), ids(queue.expired(at(120 + 300), timeouts::get)));
        assertEquals(List.of("m", "f"), ids(queue.expired(at(60 + 1800), timeouts::get)));
        assertEquals(List.of("s", "m", "f"), ids(queue.expired(at(3600), timeouts::get)));
    }

    @Test
    void expiringDoesNotRemoveUntilFinishedAsTimedOut() {
        queue.enqueue(manual("a1", "alpha", 0));
        queue.enqueue(manual("a2", "alpha", 1));
        queue.markDispatched("a1", at(0));
        queue.markRunning("a1", at(0));
        List<AgentRun> expired = queue.expired(at(1800), THIRTY_MINUTES);
        assertEquals(1, queue.activeCount());
        AgentRun timedOut = queue.finish(expired.get(0).id(), RunState.TIMED_OUT, at(1800));
        assertEquals(RunState.TIMED_OUT, timedOut.state());
        assertEquals(List.of(), queue.expired(at(1800), THIRTY_MINUTES));
        assertEquals(List.of("a2"), ids(queue.next(100)));
    }

    @Test
    void missingTimeoutForAnAgentIsAnError() {
        queue.enqueue(manual("a1", "alpha", 0));
        queue.markDispatched("a1", at(0));
        queue.markRunning("a1", at(0));
        assertThrows(NullPointerException.class, () -> queue.expired(at(1), agent -> null));
    }
}
