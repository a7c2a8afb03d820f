package dev.monkeytown.runner;

import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a run lives at its runner, stored with the run so any replica, and the dispatcher after a restart, can find it.
 *
 * @param kind the {@link Runner#kind()} that started it
 * @param externalId the runner's own id for it (a GitHub workflow run id); absent for the local runner, whose key is
 *        the run id itself, and for a GitHub dispatch whose answer did not say
 * @param url where a person can watch it (the workflow run's page); absent when there is none
 * @param branch the branch the run's work is delivered on ({@code agents/<agent>/<run-id>}) when there is one
 * @param attempt which attempt of the external run it is (a GitHub workflow run's {@code run_attempt}: 1, then one more
 *        for each re-run of its failed jobs); absent where runs have no attempts
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record RunnerRef(String kind, Optional<String> externalId, Optional<String> url, Optional<String> branch,
        Optional<Integer> attempt) {

    public RunnerRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(branch, "branch");
        attempt = attempt == null ? Optional.empty() : attempt;
    }

    public RunnerRef(String kind, Optional<String> externalId, Optional<String> url, Optional<String> branch) {
        this(kind, externalId, url, branch, Optional.empty());
    }

    public static RunnerRef of(String kind) {
        return new RunnerRef(kind, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public RunnerRef withExternalId(String id) {
        return new RunnerRef(kind, Optional.of(id), url, branch, attempt);
    }

    public RunnerRef withUrl(String newUrl) {
        return new RunnerRef(kind, externalId, Optional.of(newUrl), branch, attempt);
    }

    public RunnerRef withBranch(String newBranch) {
        return new RunnerRef(kind, externalId, url, Optional.of(newBranch), attempt);
    }

    public RunnerRef withAttempt(int number) {
        return new RunnerRef(kind, externalId, url, branch, Optional.of(number));
    }
}
