package dev.monkeytown.dispatcher.queue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Life cycle of one agent run. The forward path is {@code queued → dispatched → running → (terminal)}; a run that never
 * got going may still be cancelled or time out while queued or dispatched. A dispatched run may also end directly in
 * {@code succeeded} or {@code failed}: GitHub does not redeliver a missed {@code in_progress} webhook, so reconciliation
 * can learn of a finished workflow run whose start nobody saw, and inventing a start time would put a lie in the record
 * ({@code startedAt} stays absent instead).
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
            case DISPATCHED -> EnumSet.of(RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT);
            case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT -> EnumSet.noneOf(RunState.class);
        };
    }

    @Override
    public String toString() {
        return jsonName;
    }
}
