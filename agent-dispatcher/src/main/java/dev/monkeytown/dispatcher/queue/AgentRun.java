package dev.monkeytown.dispatcher.queue;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One run of one agent. Values are immutable; a state change makes a new value through {@link #moveTo}.
 *
 * <p>
 * The three later timestamps are {@code null} until the run reaches the step they record, and stay {@code null} if it
 * never does (a run cancelled while queued has a {@code finishedAt} but no {@code dispatchedAt}). Nullable fields rather
 * than {@code Optional} because this record is also the stored and serialised form, where an absent field is the
 * natural encoding.
 *
 * @param dispatchedAt when the runner was asked to start it; the bound on starting is measured from here
 * @param startedAt when the runner reported it actually running; the agent's timeout is measured from here
 * @param finishedAt when it reached a terminal state
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentRun(
        String id,
        String agent,
        RunState state,
        Trigger trigger,
        Instant queuedAt,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt) {

    public AgentRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(queuedAt, "queuedAt");
        if (agent.isBlank()) {
            throw new IllegalArgumentException("agent must not be blank");
        }
        // The timestamps must tell the same story as the state, or reconciliation and timeouts would read nonsense.
        requirePresence(dispatchedAt, state == RunState.DISPATCHED || state == RunState.RUNNING, state == RunState.QUEUED,
                "dispatchedAt", state);
        requirePresence(startedAt, state == RunState.RUNNING, !state.isTerminal() && state != RunState.RUNNING,
                "startedAt", state);
        requirePresence(finishedAt, state.isTerminal(), !state.isTerminal(), "finishedAt", state);
        if (startedAt != null && dispatchedAt == null) {
            throw new IllegalArgumentException("a run cannot have started without being dispatched");
        }
    }

    public static AgentRun queued(String id, String agent, Trigger trigger, Instant queuedAt) {
        return new AgentRun(id, agent, RunState.QUEUED, trigger, queuedAt, null, null, null);
    }

    /** @throws IllegalStateException when the state machine does not allow the move */
    public AgentRun moveTo(RunState next, Instant at) {
        Objects.requireNonNull(at, "at");
        state.checkMoveTo(next);
        return switch (next) {
            case DISPATCHED -> new AgentRun(id, agent, next, trigger, queuedAt, at, null, null);
            case RUNNING -> new AgentRun(id, agent, next, trigger, queuedAt, dispatchedAt, at, null);
            case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT -> new AgentRun(id, agent, next, trigger, queuedAt,
                    dispatchedAt, startedAt, at);
            case QUEUED -> throw new IllegalStateException("unreachable: nothing moves back to queued");
        };
    }

    /** Same run, same place in line, different reason (used when automatic triggers coalesce). */
    AgentRun withTrigger(Trigger newTrigger) {
        return new AgentRun(id, agent, state, newTrigger, queuedAt, dispatchedAt, startedAt, finishedAt);
    }

    private static void requirePresence(Instant value, boolean required, boolean forbidden, String name,
            RunState state) {
        if (required && value == null) {
            throw new IllegalArgumentException(name + " is required for a " + state + " run");
        }
        if (forbidden && value != null) {
            throw new IllegalArgumentException(name + " must be absent for a " + state + " run");
        }
    }
}
