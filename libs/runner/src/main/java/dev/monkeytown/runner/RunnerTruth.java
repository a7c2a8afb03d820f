package dev.monkeytown.runner;

import java.time.Instant;
import java.util.Objects;

/** A runner's answer to "what became of this run?", used to settle records whose progress reports were lost. */
public sealed interface RunnerTruth {

    /**
     * The runner has no trace of the run and is sure none will appear: it was never started, or the runner forgot it.
     * A caller may start a run it never got an answer for again.
     */
    record Unknown() implements RunnerTruth {
    }

    /**
     * The runner cannot tell yet: a start whose answer was lost may still show up (GitHub lists a dispatched workflow
     * run only some time after accepting it). The caller must not start the run again before {@code askAgainAt}.
     */
    record Unconfirmed(Instant askAgainAt) implements RunnerTruth {
        public Unconfirmed {
            Objects.requireNonNull(askAgainAt, "askAgainAt");
        }
    }

    /** Accepted but not yet executing (a workflow run that is queued, or accepted and not listed yet). */
    record Pending(RunnerRef ref) implements RunnerTruth {
        public Pending {
            Objects.requireNonNull(ref, "ref");
        }
    }

    record Running(RunnerRef ref, Instant startedAt) implements RunnerTruth {
        public Running {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(startedAt, "startedAt");
        }
    }

    record Finished(RunnerRef ref, RunOutcome outcome) implements RunnerTruth {
        public Finished {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(outcome, "outcome");
        }
    }
}
