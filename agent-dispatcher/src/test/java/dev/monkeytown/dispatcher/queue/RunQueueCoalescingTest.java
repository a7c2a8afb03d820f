package dev.monkeytown.dispatcher.queue;

import static dev.monkeytown.dispatcher.queue.TestRuns.at;
import static dev.monkeytown.dispatcher.queue.TestRuns.ids;
import static dev.monkeytown.dispatcher.queue.TestRuns.manual;
import static dev.monkeytown.dispatcher.queue.TestRuns.onChange;
import static dev.monkeytown.dispatcher.queue.TestRuns.scheduled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class RunQueueCoalescingTest {

    private final RunQueue queue = new RunQueue();

    @Test
    void secondScheduledTickJoinsThePendingRun() {
        AgentRun first = scheduled("s1", "alpha", 1);
        assertFalse(queue.enqueue(first).coalesced());
        Enqueued second = queue.enqueue(scheduled("s2", "alpha", 2));
        assertTrue(second.coalesced());
        assertEquals(first, second.run());
        assertEquals(List.of("s1"), ids(queue.queuedFor("alpha")));
    }

    @Test
    void onChangeMergesIntoPendingOnChangeKeepingIdAndPlace() {
        queue.enqueue(onChange("c1", "alpha", 1, "sha1", "src/a"));
        queue.enqueue(manual("b1", "beta", 2));
        Enqueued merged = queue.enqueue(onChange("c2", "alpha", 3, "sha2", "src/b", "src/a"));
        assertTrue(merged.coalesced());
        assertEquals("c1", merged.run().id());
        assertEquals(at(1), merged.run().queuedAt());
        Trigger.OnChange trigger = assertInstanceOf(Trigger.OnChange.class, merged.run().trigger());
        assertEquals("sha2", trigger.commitSha());
        assertEquals(List.of("src/a", "src/b"), trigger.changedPaths());
        // the merged value is what the queue now holds and offers, still ahead of beta
        assertEquals(merged.run(), queue.find("c1").orElseThrow());
        assertEquals(List.of(merged.run(), queue.find("b1").orElseThrow()), queue.next(100));
    }

    @Test
    void mixedAutomaticTriggersCoalesceIntoTheOldestKeepingItsTrigger() {
        queue.enqueue(scheduled("s1", "alpha", 1));
        Enqueued joined = queue.enqueue(onChange("c1", "alpha", 2, "sha1", "src/a"));
        assertTrue(joined.coalesced());
        assertInstanceOf(Trigger.Scheduled.class, joined.run().trigger());

        queue.enqueue(onChange("c2", "beta", 3, "sha1", "src/a"));
        Enqueued tick = queue.enqueue(scheduled("s2", "beta", 4));
        assertTrue(tick.coalesced());
        assertEquals("c2", tick.run().id());
        assertInstanceOf(Trigger.OnChange.class, tick.run().trigger());
    }

    @Test
    void manualRequestsAlwaysGetTheirOwnRun() {
        queue.enqueue(scheduled("s1", "alpha", 1));
        assertFalse(queue.enqueue(manual("m1", "alpha", 2)).coalesced());
        assertFalse(queue.enqueue(manual("m2", "alpha", 3)).coalesced());
        assertEquals(List.of("s1", "m1", "m2"), ids(queue.queuedFor("alpha")));
    }

    @Test
    void automaticTriggerDoesNotJoinAPendingManualRun() {
        queue.enqueue(manual("m1", "alpha", 1));
        assertFalse(queue.enqueue(scheduled("s1", "alpha", 2)).coalesced());
        assertEquals(List.of("m1", "s1"), ids(queue.queuedFor("alpha")));
    }

    @Test
    void onceDispatchedTheNextTriggerQueuesANewRun() {
        queue.enqueue(scheduled("s1", "alpha", 1));
        queue.dispatchNext(100, at(2));
        assertFalse(queue.enqueue(scheduled("s2", "alpha", 3)).coalesced());
        assertTrue(queue.enqueue(scheduled("s3", "alpha", 4)).coalesced());
        assertEquals(List.of("s2"), ids(queue.queuedFor("alpha")));
    }

    @Test
    void cancellingThePendingRunEndsCoalescingIntoIt() {
        queue.enqueue(scheduled("s1", "alpha", 1));
        queue.cancel("s1", at(2));
        Enqueued fresh = queue.enqueue(scheduled("s2", "alpha", 3));
        assertFalse(fresh.coalesced());
        assertEquals("s2", fresh.run().id());
    }

    @Test
    void aNonQueuedRunIsRefusedEvenWhenItWouldCoalesce() {
        queue.enqueue(scheduled("s1", "alpha", 1));
        AgentRun dispatched = scheduled("s2", "alpha", 2).moveTo(RunState.DISPATCHED, at(3));
        assertThrows(IllegalArgumentException.class, () -> queue.enqueue(dispatched));
    }

    @Test
    void coalescingIsPerAgent() {
        queue.enqueue(scheduled("s1", "alpha", 1));
        assertFalse(queue.enqueue(scheduled("s2", "beta", 1)).coalesced());
        assertEquals(2, queue.queuedCount());
    }
}
