package dev.monkeytown.dispatcher.queue;

import static dev.monkeytown.dispatcher.queue.TestRuns.at;
import static dev.monkeytown.dispatcher.queue.TestRuns.ids;
import static dev.monkeytown.dispatcher.queue.TestRuns.manual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class RunQueueDispatchTest {

    private final RunQueue queue = new RunQueue();

    @Test
    void emptyQueueDispatchesNothing() {
        assertEquals(List.of(), queue.next(RunQueue.DEFAULT_REPOSITORY_CAP));
    }

    @Test
    void oldestQueuedGoesFirstAcrossAgents() {
        queue.enqueue(manual("c", "gamma", 30));
        queue.enqueue(manual("a", "alpha", 10));
        queue.enqueue(manual("b", "beta", 20));
        assertEquals(List.of("a", "b", "c"), ids(queue.next(100)));
    }

    @Test
    void sameQueuedAtIsBrokenById() {
        queue.enqueue(manual("z", "alpha", 10));
        queue.enqueue(manual("m", "beta", 10));
        queue.enqueue(manual("a", "gamma", 10));
        assertEquals(List.of("a", "m", "z"), ids(queue.next(100)));
    }

    @Test
    void onlyTheOldestRunOfEachAgentIsOffered() {
        queue.enqueue(manual("a2", "alpha", 20));
        queue.enqueue(manual("a1", "alpha", 10));
        queue.enqueue(manual("b1", "beta", 30));
        assertEquals(List.of("a1", "b1"), ids(queue.next(100)));
    }

    @Test
    void agentWithActiveRunGetsNoSecondRun() {
        queue.enqueue(manual("a1", "alpha", 10));
        queue.enqueue(manual("a2", "alpha", 20));
        queue.dispatchNext(100, at(30));
        assertEquals(List.of(), queue.next(100));
        queue.markRunning("a1", at(31));
        assertEquals(List.of(), queue.next(100));
        queue.finish("a1", RunState.SUCCEEDED, at(40));
        assertEquals(List.of("a2"), ids(queue.next(100)));
    }

    @Test
    void busyAgentDoesNotBlockYoungerRunsOfOtherAgents() {
        queue.enqueue(manual("a1", "alpha", 1));
        queue.dispatchNext(100, at(2));
        for (int i = 0; i < 50; i++) {
            queue.enqueue(manual("a-" + (100 + i), "alpha", 10 + i)); // older than beta's run, but alpha is busy
        }
        queue.enqueue(manual("b1", "beta", 500));
        assertEquals(List.of("b1"), ids(queue.next(2)));
    }

    @Test
    void capLimitsActiveRunsAndTakesTheOldest() {
        for (int i = 0; i < 10; i++) {
            queue.enqueue(manual("r" + i, "agent-" + i, 100 - i)); // r9 oldest
        }
        assertEquals(List.of("r9", "r8", "r7"), ids(queue.dispatchNext(3, at(200))));
        assertEquals(3, queue.activeCount());
        assertEquals(List.of(), queue.next(3));
        assertEquals(List.of("r6", "r5"), ids(queue.next(5)));
        queue.markRunning("r8", at(201));
        queue.finish("r8", RunState.FAILED, at(202));
        assertEquals(List.of("r6"), ids(queue.next(3)));
    }

    @Test
    void capBelowActiveCountDispatchesNothing() {
        queue.enqueue(manual("a", "alpha", 1));
        queue.enqueue(manual("b", "beta", 2));
        queue.enqueue(manual("c", "gamma", 3));
        queue.dispatchNext(2, at(4));
        assertEquals(List.of(), queue.next(1)); // cap lowered by configuration while runs are active
        assertThrows(IllegalArgumentException.class, () -> queue.next(-1));
    }

    @Test
    void nextDoesNotChangeTheQueue() {
        queue.enqueue(manual("a", "alpha", 1));
        assertEquals(queue.next(100), queue.next(100));
        assertEquals(1, queue.queuedCount());
        assertEquals(0, queue.activeCount());
    }

    @Test
    void dispatchNextMarksRunsDispatchedAtTheGivenTime() {
        queue.enqueue(manual("a", "alpha", 1));
        AgentRun dispatched = queue.dispatchNext(100, at(5)).get(0);
        assertEquals(RunState.DISPATCHED, dispatched.state());
        assertEquals(at(5), dispatched.dispatchedAt());
        assertEquals(dispatched, queue.activeFor("alpha").orElseThrow());
        assertEquals(dispatched, queue.find("a").orElseThrow());
        assertEquals(0, queue.queuedCount());
    }

    @Test
    void dispatchingASecondRunForABusyAgentIsRefused() {
        queue.enqueue(manual("a1", "alpha", 1));
        queue.enqueue(manual("a2", "alpha", 2));
        queue.markDispatched("a1", at(3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> queue.markDispatched("a2", at(3)));
        assertTrue(e.getMessage().contains("a1") && e.getMessage().contains("a2"), e.getMessage());
    }

    @Test
    void dispatchingTwiceIsRefused() {
        queue.enqueue(manual("a1", "alpha", 1));
        queue.markDispatched("a1", at(2));
        assertThrows(IllegalStateException.class, () -> queue.markDispatched("a1", at(3)));
    }

    @Test
    void cancellingAQueuedHeadLetsTheNextRunOfThatAgentMoveUp() {
        queue.enqueue(manual("a1", "alpha", 1));
        queue.enqueue(manual("a2", "alpha", 5));
        queue.enqueue(manual("b1", "beta", 3));
        AgentRun cancelled = queue.cancel("a1", at(6));
        assertEquals(RunState.CANCELLED, cancelled.state());
        assertEquals(List.of("b1", "a2"), ids(queue.next(100)));
        assertTrue(queue.find("a1").isEmpty());
    }

    @Test
    void finishedRunsLeaveTheQueueAndUnknownIdsAreRefused() {
        queue.enqueue(manual("a1", "alpha", 1));
        queue.dispatchNext(100, at(2));
        queue.markRunning("a1", at(3));
        AgentRun done = queue.finish("a1", RunState.SUCCEEDED, at(4));
        assertEquals(at(4), done.finishedAt());
        assertEquals(0, queue.activeCount());
        assertThrows(IllegalArgumentException.class, () -> queue.finish("a1", RunState.FAILED, at(5)));
        assertThrows(IllegalArgumentException.class, () -> queue.markRunning("nope", at(5)));
    }

    @Test
    void illegalTransitionsThroughTheQueueAreRefused() {
        queue.enqueue(manual("a1", "alpha", 1));
        assertThrows(IllegalStateException.class, () -> queue.finish("a1", RunState.SUCCEEDED, at(2)));
        assertThrows(IllegalStateException.class, () -> queue.markRunning("a1", at(2)));
        assertThrows(IllegalArgumentException.class, () -> queue.finish("a1", RunState.RUNNING, at(2)));
        assertEquals(1, queue.queuedCount()); // nothing half-done
        assertEquals(List.of("a1"), ids(queue.next(1)));
    }

    @Test
    void enqueueRefusesDuplicatesAndNonQueuedRuns() {
        queue.enqueue(manual("a1", "alpha", 1));
        assertThrows(IllegalArgumentException.class, () -> queue.enqueue(manual("a1", "beta", 2)));
        AgentRun dispatched = manual("x", "beta", 1).moveTo(RunState.DISPATCHED, at(2));
        assertThrows(IllegalArgumentException.class, () -> queue.enqueue(dispatched));
    }

    @Test
    void restoreRebuildsActiveAndQueuedRunsAfterARestart() {
        queue.restore(manual("a1", "alpha", 1).moveTo(RunState.DISPATCHED, at(2)).moveTo(RunState.RUNNING, at(3)));
        queue.restore(manual("a2", "alpha", 4));
        queue.restore(TestRuns.scheduled("b1", "beta", 5));
        queue.restore(TestRuns.scheduled("b2", "beta", 6)); // stored before coalescing existed: kept as is
        assertEquals(List.of("b1"), ids(queue.next(100)));
        assertThrows(IllegalStateException.class,
                () -> queue.restore(manual("a3", "alpha", 1).moveTo(RunState.DISPATCHED, at(2))));
        assertThrows(IllegalArgumentException.class,
                () -> queue.restore(manual("z", "zeta", 1).moveTo(RunState.CANCELLED, at(2))));
        queue.markDispatched("b1", at(7));
        queue.finish("b1", RunState.CANCELLED, at(8));
        // b2 is now the pending automatic run, so a new tick coalesces into it
        assertEquals("b2", queue.enqueue(TestRuns.scheduled("b3", "beta", 9)).run().id());
    }

    @Test
    void queuedListingIsInLineOrder() {
        queue.enqueue(manual("b", "beta", 2));
        queue.enqueue(manual("a2", "alpha", 3));
        queue.enqueue(manual("a1", "alpha", 1));
        assertEquals(List.of("a1", "b", "a2"), ids(queue.queued()));
        assertEquals(List.of("a1", "a2"), ids(queue.queuedFor("alpha")));
        assertEquals(List.of(), queue.queuedFor("nobody"));
    }
}
