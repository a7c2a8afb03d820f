package dev.monkeytown.dispatcher.runner;

import java.time.Instant;
import java.util.Objects;

/** A runner's answer to "what became of this run?", used to settle records whose progress reports were lost. */
public sealed interface RunnerTruth {

    /** The runner has no trace of the run: it was never started, or the runner forgot it (a restarted local runner). */
    record Unknown() implements RunnerTruth {
    }

    /** Accepted but not yet executing (a workflow run that is queued or waiting). */
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
