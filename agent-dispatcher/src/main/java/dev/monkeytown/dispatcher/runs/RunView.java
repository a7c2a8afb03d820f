package dev.monkeytown.dispatcher.runs;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.monkeytown.dispatcher.queue.RunState;
import dev.monkeytown.dispatcher.queue.Trigger;
import dev.monkeytown.runner.RunnerRef;

/**
 * A run as clients see it, in the API and in run events: the record flattened, with absent steps left out.
 *
 * @param runner where it runs (kind, workflow run id and page, delivered branch) once the runner accepted it
 * @param reason why it failed, timed out or was cancelled
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(String id, String agent, RunState state, Trigger trigger, Instant queuedAt, Instant dispatchedAt,
        Instant startedAt, Instant finishedAt, String reason, RunnerRef runner) {

    public static RunView of(RunRecord record) {
        var run = record.run();
        return new RunView(run.id(), run.agent(), run.state(), run.trigger(), run.queuedAt(), run.dispatchedAt(),
                run.startedAt(), run.finishedAt(), record.reason().orElse(null), record.runner().orElse(null));
    }
}
