package dev.monkeytown.build.builds;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.monkeytown.runner.RunnerRef;

/**
 * A build of one pipeline at one commit, as stored on the state branch. Immutable: each transition returns the next
 * record and refuses a step the state does not allow, so an out-of-order report cannot corrupt it.
 *
 * @param ref the branch the build is for (its streak and hold are per pipeline and branch)
 * @param tree the commit's tree id: an identical tree built elsewhere has identical outputs
 * @param retryAt while {@code retrying}, when the next attempt may be dispatched
 * @param retryOf for a build an operator asked to retry, the build it repeats
 * @param revision bumped on every stored change; a change is written only over the revision it was computed from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Build(String id, String pipeline, String ref, String sha, String tree, BuildTrigger trigger,
        String requestedBy, BuildState state, List<Attempt> attempts, List<BuildOutput> outputs,
        BuildArtifact artifact, Instant queuedAt, Instant retryAt, Instant finishedAt, String retryOf,
        String cancelledBy, long revision) {

    public Build {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(queuedAt, "queuedAt");
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    public static Build queued(String id, String pipeline, String ref, String sha, String tree, BuildTrigger trigger,
            String requestedBy, Instant at, String retryOf) {
        return new Build(id, pipeline, ref, sha, tree, trigger, requestedBy, BuildState.QUEUED, List.of(), List.of(),
                null, at, null, null, retryOf, null, 0);
    }

    @JsonIgnore
    public StreakKey key() {
        return new StreakKey(pipeline, ref);
    }

    @JsonIgnore
    public Optional<Attempt> currentAttempt() {
        return attempts.isEmpty() || !attempts.get(attempts.size() - 1).isOpen()
                ? Optional.empty()
                : Optional.of(attempts.get(attempts.size() - 1));
    }

    /** The runner id of the open attempt; only while dispatched or running. */
    @JsonIgnore
    public Optional<String> currentRunId() {
        return currentAttempt().map(Attempt::runId);
    }

    /** Queued, or retrying and due: ready to go to a runner if the queue allows. */
    @JsonIgnore
    public boolean isWaitingAt(Instant now) {
        return state == BuildState.QUEUED || (state == BuildState.RETRYING && !retryAt.isAfter(now));
    }

    /** Opens the next attempt. */
    public Build dispatched(Instant at) {
        require(state == BuildState.QUEUED || state == BuildState.RETRYING, "dispatch");
        List<Attempt> next = new ArrayList<>(attempts);
        next.add(Attempt.open(id, attempts.size() + 1, at));
        return with(BuildState.DISPATCHED, next, null, null, outputs, artifact, cancelledBy);
    }

    /** The runner's answer to the start: where to find the attempt. Changes no state. */
    public Build withRunner(RunnerRef runner) {
        Attempt open = currentAttempt().orElseThrow(() -> refusal("record a runner for"));
        return with(state, replaceLast(open.withRunner(runner)), retryAt, finishedAt, outputs, artifact, cancelledBy);
    }

    public Build started(Instant at, RunnerRef runner) {
        require(state == BuildState.DISPATCHED, "start");
        Attempt open = currentAttempt().orElseThrow(() -> refusal("start"));
        return with(BuildState.RUNNING, replaceLast(open.started(at, runner)), null, null, outputs, artifact,
                cancelledBy);
    }

    public Build succeeded(AttemptResult.Succeeded result, List<BuildOutput> produced, BuildArtifact stored) {
        Attempt open = requireOpen("succeed");
        return with(BuildState.SUCCEEDED, replaceLast(open.closed(result)), null, result.at(), produced, stored,
                cancelledBy);
    }

    /**
     * Closes the open attempt as failed; with a {@code retryIn} the build waits for its next attempt, without it the
     * build has failed for good ({@code timed_out} when the last attempt timed out).
     */
    public Build failed(AttemptResult.Failed result, Optional<Duration> retryIn) {
        Attempt open = requireOpen("fail");
        List<Attempt> next = replaceLast(open.closed(result));
        if (retryIn.isPresent()) {
            return with(BuildState.RETRYING, next, result.at().plus(retryIn.get()), null, outputs, artifact,
                    cancelledBy);
        }
        BuildState end = result.failureClass() == FailureClass.TIMEOUT ? BuildState.TIMED_OUT : BuildState.FAILED;
        return with(end, next, null, result.at(), outputs, artifact, cancelledBy);
    }

    /** Cancels a build that has not ended; an open attempt is closed as cancelled. */
    public Build cancelled(Instant at, String by) {
        require(!state.isTerminal(), "cancel");
        List<Attempt> next = currentAttempt()
                .map(open -> replaceLast(open.closed(new AttemptResult.Cancelled(at))))
                .orElse(attempts);
        return with(BuildState.CANCELLED, next, null, at, outputs, artifact, by);
    }

    /** A newer push to the branch while this automatic build still waits: it builds the newer commit instead. */
    public Build movedTo(String newSha, String newTree) {
        require(state == BuildState.QUEUED && trigger.isAutomatic(), "move to a newer commit");
        return new Build(id, pipeline, ref, newSha, newTree, trigger, requestedBy, state, attempts, outputs, artifact,
                queuedAt, retryAt, finishedAt, retryOf, cancelledBy, revision);
    }

    public Build withRevision(long newRevision) {
        return new Build(id, pipeline, ref, sha, tree, trigger, requestedBy, state, attempts, outputs, artifact,
                queuedAt, retryAt, finishedAt, retryOf, cancelledBy, newRevision);
    }

    private Attempt requireOpen(String step) {
        require(state == BuildState.DISPATCHED || state == BuildState.RUNNING, step);
        return currentAttempt().orElseThrow(() -> refusal(step));
    }

    private List<Attempt> replaceLast(Attempt attempt) {
        List<Attempt> next = new ArrayList<>(attempts);
        next.set(next.size() - 1, attempt);
        return next;
    }

    private Build with(BuildState newState, List<Attempt> newAttempts, Instant newRetryAt, Instant newFinishedAt,
            List<BuildOutput> newOutputs, BuildArtifact newArtifact, String newCancelledBy) {
        return new Build(id, pipeline, ref, sha, tree, trigger, requestedBy, newState, newAttempts, newOutputs,
                newArtifact, queuedAt, newRetryAt, newFinishedAt, retryOf, newCancelledBy, revision);
    }

    private void require(boolean allowed, String step) {
        if (!allowed) {
            throw refusal(step);
        }
    }

    private IllegalStateException refusal(String step) {
        return new IllegalStateException("cannot " + step + " build " + id + ": it is " + state.jsonName());
    }
}
