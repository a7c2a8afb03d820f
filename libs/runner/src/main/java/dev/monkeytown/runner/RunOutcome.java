package dev.monkeytown.runner;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/** How a run ended, as a runner reports it. */
public sealed interface RunOutcome {

    Instant finishedAt();

    /** The command exited 0; {@code deliveredBranch} is true when it left commits the runner pushed back. */
    record Succeeded(boolean deliveredBranch, Instant finishedAt) implements RunOutcome {
        public Succeeded {
            Objects.requireNonNull(finishedAt, "finishedAt");
        }
    }

    /**
     * The command exited non-zero, or the run could not be carried through (checkout, launch or push failed).
     * {@code exitCode} is empty when the command never ran.
     */
    record Failed(OptionalInt exitCode, String reason, Instant finishedAt) implements RunOutcome {
        public Failed {
            Objects.requireNonNull(exitCode, "exitCode");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(finishedAt, "finishedAt");
        }

        public static Failed exited(int exitCode, Instant finishedAt) {
            return new Failed(OptionalInt.of(exitCode), "exited with code " + exitCode, finishedAt);
        }

        public static Failed neverRan(String reason, Instant finishedAt) {
            return new Failed(OptionalInt.empty(), reason, finishedAt);
        }
    }

    record Cancelled(Instant finishedAt) implements RunOutcome {
        public Cancelled {
            Objects.requireNonNull(finishedAt, "finishedAt");
        }
    }

    record TimedOut(Instant finishedAt) implements RunOutcome {
        public TimedOut {
            Objects.requireNonNull(finishedAt, "finishedAt");
        }
    }
}
