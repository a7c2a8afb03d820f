package dev.monkeytown.build.api;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.RetryPolicy;
import dev.monkeytown.build.builds.Streak;
import dev.monkeytown.build.engine.EngineView;
import dev.monkeytown.build.pipeline.Pipeline;

/**
 * A declared pipeline with how it is doing.
 *
 * @param streak the longest run of consecutive failed builds on any of its branches (0: last builds succeeded)
 * @param held whether automatic builds wait on some branch (3 or more failures there, until an unhold)
 * @param branches the streak of every branch the pipeline has had a build end on
 * @param lastBuild its newest build, any branch
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineView(String name, String command, String workflow, List<String> branchesBuilt,
        List<String> outputs, String timeout, RetryPolicy retry, int streak, boolean held, List<BranchStreak> branches,
        BuildView lastBuild) {

    /** @param severity {@code none}, {@code warning} (1-2) or {@code critical} (3+) */
    public record BranchStreak(String branch, int failures, boolean held, String severity, java.time.Instant heldSince,
            List<Streak.Unhold> unholds) {
        static BranchStreak of(Streak s) {
            return new BranchStreak(s.branch(), s.failures(), s.held(), s.severity().name().toLowerCase(Locale.ROOT),
                    s.heldSince(), s.unholds());
        }
    }

    static PipelineView of(Pipeline pipeline, EngineView view, Build last) {
        List<Streak> streaks = view.streaks().values().stream().filter(s -> s.pipeline().equals(pipeline.name()))
                .sorted(Comparator.comparing(Streak::branch)).toList();
        return new PipelineView(pipeline.name(), pipeline.command().orElse(null), pipeline.workflow().orElse(null),
                pipeline.branches(), pipeline.outputs(), pipeline.timeout().toString(), pipeline.retry(),
                streaks.stream().mapToInt(Streak::failures).max().orElse(0), streaks.stream().anyMatch(Streak::held),
                streaks.stream().map(BranchStreak::of).toList(), last == null ? null : BuildView.of(last, view));
    }
}
