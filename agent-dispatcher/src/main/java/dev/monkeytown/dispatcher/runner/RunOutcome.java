package dev.monkeytown.dispatcher.runner;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

import dev.monkeytown.dispatcher.queue.RunState;

/** How a run ended, as a runner reports it. Each case maps onto one terminal {@link RunState}. */
public sealed interface RunOutcome {

    Instant finishedAt();

    RunState state();

    /** The agent exited 0; {@code pushedBranch} is true when it left commits that were pushed back to the repository. */
    record Succeeded(boolean pushedBranch, Instant finishedAt) implements RunOutcome {
        public Succeeded {
            Objects.requireNonNull(finishedAt, "finishedAt");
        }

        @Override
        public RunState state() {
            return RunState.SUCCEEDED;
        }
    }

    /**
     * The agent exited non-zero, or the run could not be carried through (checkout, launch or push failed). {@code exitCode}
     * is empty when the agent's process never ran.
     */
    record Failed(OptionalInt exitCode, String reason, Instant finishedAt) implements RunOutcome {
        public Failed {
            Objects.requireNonNull(exitCode, "exitCode");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(finishedAt, "finishedAt");
        }

        static Failed exited(int exitCode, Instant finishedAt) {
            return new Failed(OptionalInt.of(exitCode), "exited with code " + exitCode, finishedAt);
        }

        @Override
        public RunState state() {
            return RunState.FAILED;
        }
    }

    record Cancelled(Instant finishedAt) implements RunOutcome {
        public Cancelled {
            Objects.requireNonNull(finishedAt, "finishedAt");
        }

        @Override
        public RunState state() {
            return RunState.CANCELLED;
        }
    }

    record TimedOut(Instant finishedAt) implements RunOutcome {
        public TimedOut {
            Objects.requireNonNull(finishedAt, "finishedAt");
        }

        @Override
        public RunState state() {
            return RunState.TIMED_OUT;
        }
    }
}
