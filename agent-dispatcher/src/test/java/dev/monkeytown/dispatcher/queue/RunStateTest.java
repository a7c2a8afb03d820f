package dev.monkeytown.dispatcher.queue;

import static dev.monkeytown.dispatcher.queue.RunState.CANCELLED;
import static dev.monkeytown.dispatcher.queue.RunState.DISPATCHED;
import static dev.monkeytown.dispatcher.queue.RunState.FAILED;
import static dev.monkeytown.dispatcher.queue.RunState.QUEUED;
import static dev.monkeytown.dispatcher.queue.RunState.RUNNING;
import static dev.monkeytown.dispatcher.queue.RunState.SUCCEEDED;
import static dev.monkeytown.dispatcher.queue.RunState.TIMED_OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunStateTest {

    /** The spec's state machine written out independently of the implementation. */
    private static final Map<RunState, Set<RunState>> LEGAL = Map.of(
            QUEUED, EnumSet.of(DISPATCHED, CANCELLED, TIMED_OUT),
            DISPATCHED, EnumSet.of(RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT),
            SUCCEEDED, EnumSet.noneOf(RunState.class),
            FAILED, EnumSet.noneOf(RunState.class),
            CANCELLED, EnumSet.noneOf(RunState.class),
            TIMED_OUT, EnumSet.noneOf(RunState.class));

    @ParameterizedTest
    @EnumSource(RunState.class)
    void allowsExactlyTheSpecTransitions(RunState from) {
        for (RunState to : RunState.values()) {
            assertEquals(LEGAL.get(from).contains(to), from.canMoveTo(to), from + " -> " + to);
        }
    }

    @ParameterizedTest
    @EnumSource(RunState.class)
    void illegalTransitionNamesBothStates(RunState from) {
        for (RunState to : EnumSet.complementOf(EnumSet.copyOf(LEGAL.get(from)))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> from.checkMoveTo(to));
            assertTrue(e.getMessage().contains(from.jsonName()) && e.getMessage().contains(to.jsonName()),
                    e.getMessage());
        }
    }

    @Test
    void activeAndTerminalSets() {
        assertEquals(EnumSet.of(DISPATCHED, RUNNING), EnumSet.copyOf(
                EnumSet.allOf(RunState.class).stream().filter(RunState::isActive).toList()));
        assertEquals(EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT), EnumSet.copyOf(
                EnumSet.allOf(RunState.class).stream().filter(RunState::isTerminal).toList()));
        assertFalse(QUEUED.isActive() || QUEUED.isTerminal());
    }

    @Test
    void noStateMovesBackToQueued() {
        for (RunState from : RunState.values()) {
            assertFalse(from.canMoveTo(QUEUED), from.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(RunState.class)
    void jsonNamesAreLowercaseAndRoundTrip(RunState state) {
        assertEquals(state.name().toLowerCase(), state.jsonName());
        assertEquals(state, RunState.fromJson(state.jsonName()));
    }

    @Test
    void unknownJsonNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RunState.fromJson("TIMED_OUT"));
    }
}
