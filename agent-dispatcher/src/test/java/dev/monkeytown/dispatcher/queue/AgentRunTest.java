package dev.monkeytown.dispatcher.queue;

import static dev.monkeytown.dispatcher.queue.TestRuns.at;
import static dev.monkeytown.dispatcher.queue.TestRuns.manual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

class AgentRunTest {

    @Test
    void fullLifeCycleRecordsEachStep() {
        AgentRun done = manual("r1", "builder", 0)
                .moveTo(RunState.DISPATCHED, at(1))
                .moveTo(RunState.RUNNING, at(2))
                .moveTo(RunState.SUCCEEDED, at(3));
        assertEquals(RunState.SUCCEEDED, done.state());
        assertEquals(at(0), done.queuedAt());
        assertEquals(at(1), done.dispatchedAt());
        assertEquals(at(2), done.startedAt());
        assertEquals(at(3), done.finishedAt());
    }

    @Test
    void cancelledWhileQueuedHasNoDispatchOrStart() {
        AgentRun cancelled = manual("r1", "builder", 0).moveTo(RunState.CANCELLED, at(5));
        assertNull(cancelled.dispatchedAt());
        assertNull(cancelled.startedAt());
        assertEquals(at(5), cancelled.finishedAt());
    }

    @Test
    void timedOutWhileDispatchedKeepsDispatchTime() {
        AgentRun timedOut = manual("r1", "builder", 0).moveTo(RunState.DISPATCHED, at(1))
                .moveTo(RunState.TIMED_OUT, at(1801));
        assertEquals(at(1), timedOut.dispatchedAt());
        assertNull(timedOut.startedAt());
    }

    @Test
    void illegalMoveIsRejectedAndNamesBothStates() {
        AgentRun queued = manual("r1", "builder", 0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> queued.moveTo(RunState.SUCCEEDED, at(1)));
        assertTrue(e.getMessage().contains("queued") && e.getMessage().contains("succeeded"), e.getMessage());
        AgentRun done = queued.moveTo(RunState.CANCELLED, at(1));
        assertThrows(IllegalStateException.class, () -> done.moveTo(RunState.RUNNING, at(2)));
    }

    @Test
    void timestampsMustMatchTheState() {
        Trigger manual = new Trigger.Manual("alice");
        assertThrows(IllegalArgumentException.class,
                () -> new AgentRun("r", "a", RunState.QUEUED, manual, at(0), at(1), null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new AgentRun("r", "a", RunState.DISPATCHED, manual, at(0), null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new AgentRun("r", "a", RunState.RUNNING, manual, at(0), at(1), null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new AgentRun("r", "a", RunState.FAILED, manual, at(0), at(1), at(2), null));
        assertThrows(IllegalArgumentException.class,
                () -> new AgentRun("r", "a", RunState.FAILED, manual, at(0), null, at(2), at(3)));
        assertThrows(IllegalArgumentException.class, () -> AgentRun.queued("r", " ", manual, at(0)));
    }

    @Test
    void serialisesWithLowercaseStateAndTriggerType() throws Exception {
        ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
        AgentRun run = AgentRun.queued("01J0000000000000000000000A", "builder",
                new Trigger.OnChange("abc123", List.of("src/b", "src/a")), at(0)).moveTo(RunState.DISPATCHED, at(1));
        String text = json.writeValueAsString(run);
        assertTrue(text.contains("\"state\":\"dispatched\""), text);
        assertTrue(text.contains("\"type\":\"on_change\""), text);
        assertTrue(!text.contains("startedAt"), text);
        assertEquals(run, json.readValue(text, AgentRun.class));
    }
}
