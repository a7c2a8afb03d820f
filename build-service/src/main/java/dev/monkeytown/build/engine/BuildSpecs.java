package dev.monkeytown.build.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.monkeytown.build.builds.Attempt;
import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.pipeline.Pipeline;
import dev.monkeytown.runner.RunSpec;
import dev.monkeytown.runner.github.GitHubActionsRunner;

/** Turns an attempt into what a runner executes. */
final class BuildSpecs {

    private BuildSpecs() {
    }

    /**
     * A retry on GitHub Actions re-runs the failed jobs of the previous attempt's workflow run ({@code
     * rerun-failed-jobs}) as its next {@code run_attempt}, when that attempt had a workflow run; otherwise (the first
     * attempt, a previous attempt that never got a workflow run) it is a dispatch.
     */
    static Optional<RunSpec.WorkflowCall.Rerun> rerunOf(Build build) {
        List<Attempt> attempts = build.attempts();
        if (attempts.size() < 2) {
            return Optional.empty();
        }
        Attempt previous = attempts.get(attempts.size() - 2);
        return Optional.ofNullable(previous.runner())
                .filter(ref -> ref.kind().equals(GitHubActionsRunner.KIND))
                .flatMap(ref -> ref.externalId().map(id -> new RunSpec.WorkflowCall.Rerun(id,
                        ref.attempt().orElse(1) + 1)));
    }

    /**
     * The command sees {@code MONKEYTOWN_BUILD_ID}, {@code MONKEYTOWN_ATTEMPT} (1, 2, ..., like
     * {@code GITHUB_RUN_ATTEMPT}), {@code MONKEYTOWN_SHA}, {@code MONKEYTOWN_PIPELINE} and {@code MONKEYTOWN_BRANCH}; a
     * workflow gets the build id, the attempt's run id (its title must carry it) and the commit as inputs; a retry
     * re-runs the previous attempt's workflow run ({@link #rerunOf}).
     */
    static RunSpec of(Build build, Pipeline pipeline, String runId, String ref) {
        int attempt = build.currentAttempt().orElseThrow().number();
        Map<String, String> environment = Map.of(
                "MONKEYTOWN_BUILD_ID", build.id(),
                "MONKEYTOWN_ATTEMPT", Integer.toString(attempt),
                "MONKEYTOWN_SHA", build.sha(),
                "MONKEYTOWN_PIPELINE", build.pipeline(),
                "MONKEYTOWN_BRANCH", build.ref());
        Optional<List<String>> command = pipeline.command().map(script -> List.of("/bin/sh", "-c", script));
        Optional<RunSpec.WorkflowCall> workflow = pipeline.workflow().map(file -> new RunSpec.WorkflowCall(file,
                "run_id", Map.of("build_id", build.id(), "sha", build.sha()), rerunOf(build)));
        return new RunSpec(runId, ref, Optional.of(build.sha()), command, workflow, environment, Set.of(),
                Optional.empty(), Map.of(), pipeline.timeout());
    }
}
