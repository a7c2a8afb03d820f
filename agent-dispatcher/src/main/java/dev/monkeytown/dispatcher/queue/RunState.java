package dev.monkeytown.dispatcher.queue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Life cycle of one agent run. The only forward path is {@code queued → dispatched → running → (terminal)}; a run that
 * never got going may still be cancelled or time out while queued or dispatched (a GitHub run that never reported
 * {@code in_progress} must still be closeable).
 */
public enum RunState {
    QUEUED("queued"), DISPATCHED("dispatched"), RUNNING("running"), SUCCEEDED("succeeded"), FAILED("failed"), CANCELLED(
            "cancelled"), TIMED_OUT("timed_out");

    private final String jsonName;

    RunState(String jsonName) {
        this.jsonName = jsonName;
    }

    @JsonValue
    public String jsonName() {
        return jsonName;
    }

    @JsonCreator
    public static RunState fromJson(String name) {
        return Arrays.stream(values())
                .filter(state -> state.jsonName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown run state '" + name + "'"));
    }

    /** Holds one of the per-agent / per-repository concurrency slots. */
    public boolean isActive() {
        return this == DISPATCHED || this == RUNNING;
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == TIMED_OUT;
    }

    public boolean canMoveTo(RunState next) {
        return successors().contains(next);
    }

    /** @throws IllegalStateException naming both states when the move is not allowed */
    public void checkMoveTo(RunState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("a run cannot move from " + jsonName + " to " + next.jsonName);
        }
    }

    private Set<RunState> successors() {
        return switch (this) {
            case QUEUED -> EnumSet.of(DISPATCHED, CANCELLED, TIMED_OUT);
            case DISPATCHED -> EnumSet.of(RUNNING, CANCELLED, TIMED_OUT);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT);
            case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT -> EnumSet.noneOf(RunState.class);
        };
    }

    @Override
    public String toString() {
        return jsonName;
    }
}
