package dev.monkeytown.build.builds;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.monkeytown.runner.RunnerRef;

/**
 * One numbered try of a build. Attempts are only ever appended; an open attempt (no {@code result}) is the build's
 * current one, and closing it is the only change it ever gets.
 *
 * @param runId the id the runner knows this attempt by ({@code <build-id>-<number>}), so a retry is a new run
 * @param result {@code succeeded}, {@code failed}, {@code timed_out} or {@code cancelled}; null while open
 * @param failureClass set when the attempt failed or timed out
 * @param exitCode the command's exit code when one is known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(int number, String runId, Instant dispatchedAt, Instant startedAt, Instant finishedAt,
        String result, FailureClass failureClass, Integer exitCode, String reason, RunnerRef runner) {

    public Attempt {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(dispatchedAt, "dispatchedAt");
        if (number < 1) {
            throw new IllegalArgumentException("attempts are numbered from 1");
        }
    }

    static Attempt open(String buildId, int number, Instant at) {
        return new Attempt(number, buildId + "-" + number, at, null, null, null, null, null, null, null);
    }

    @JsonIgnore
    public boolean isOpen() {
        return result == null;
    }

    Attempt started(Instant at, RunnerRef ref) {
        return new Attempt(number, runId, dispatchedAt, startedAt == null ? at : startedAt, finishedAt, result,
                failureClass, exitCode, reason, ref != null ? ref : runner);
    }

    Attempt withRunner(RunnerRef ref) {
        return new Attempt(number, runId, dispatchedAt, startedAt, finishedAt, result, failureClass, exitCode, reason,
                ref);
    }

    Attempt closed(AttemptResult outcome) {
        if (outcome instanceof AttemptResult.Succeeded) {
            return new Attempt(number, runId, dispatchedAt, startedAt, outcome.at(), "succeeded", null, 0, null,
                    runner);
        }
        if (outcome instanceof AttemptResult.Cancelled) {
            return new Attempt(number, runId, dispatchedAt, startedAt, outcome.at(), "cancelled", null, null,
                    "cancelled", runner);
        }
        AttemptResult.Failed failed = (AttemptResult.Failed) outcome;
        String name = failed.failureClass() == FailureClass.TIMEOUT ? "timed_out" : "failed";
        return new Attempt(number, runId, dispatchedAt, startedAt, outcome.at(), name, failed.failureClass(),
                failed.exitCode(), failed.reason(), runner);
    }
}
