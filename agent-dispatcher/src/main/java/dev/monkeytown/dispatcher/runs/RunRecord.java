package dev.monkeytown.dispatcher.runs;

import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.runner.RunnerRef;

/**
 * A run as the state branch stores it: the queue's view of the run plus what only the record needs to carry, where it
 * runs and, once it ended badly, why.
 *
 * @param runner where the run lives at its runner; absent until the runner accepted it
 * @param reason why it failed, timed out or was cancelled, in words a person can act on
 * @param revision how many times the record was written: a change writes revision n+1 only over revision n, so a
 *        dispatcher never overwrites a record it has not seen (records written before revisions existed read as 0)
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record RunRecord(AgentRun run, Optional<RunnerRef> runner, Optional<String> reason, long revision) {

    public RunRecord {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(reason, "reason");
    }

    public static RunRecord of(AgentRun run) {
        return new RunRecord(run, Optional.empty(), Optional.empty(), 0);
    }

    @JsonIgnore
    public String id() {
        return run.id();
    }

    public RunRecord with(AgentRun moved) {
        return new RunRecord(moved, runner, reason, revision);
    }

    public RunRecord withRunner(RunnerRef ref) {
        return new RunRecord(run, Optional.of(ref), reason, revision);
    }

    public RunRecord withReason(String why) {
        return new RunRecord(run, runner, Optional.ofNullable(why), revision);
    }

    public RunRecord withRevision(long value) {
        return new RunRecord(run, runner, reason, value);
    }
}
