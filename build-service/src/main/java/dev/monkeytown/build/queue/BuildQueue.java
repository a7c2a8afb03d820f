package dev.monkeytown.build.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildState;
import dev.monkeytown.build.builds.StreakKey;

/**
 * Which waiting builds go to a runner now — a pure function of the live builds, so it is tested without threads:
 * <ul>
 * <li>oldest first (queued time, then id);</li>
 * <li>one build per pipeline and branch at a time: one dispatched, running or retrying occupies its branch;</li>
 * <li>at most {@code parallelism} builds dispatched or running across pipelines;</li>
 * <li>automatic builds wait while their pipeline is held on their branch, and once {@code automaticLeftToday} reaches
 * zero (the spec's daily maximum); builds an operator asked for pass both;</li>
 * <li>a retrying build waits out its backoff.</li>
 * </ul>
 */
public final class BuildQueue {

    private static final Comparator<Build> OLDEST_FIRST = Comparator.comparing(Build::queuedAt)
            .thenComparing(Build::id);

    /** What to dispatch now, oldest first, and why each other waiting build waits. */
    public record Plan(List<Build> dispatch, Map<String, WaitReason> waiting) {
        public Plan {
            dispatch = List.copyOf(dispatch);
            waiting = Map.copyOf(waiting);
        }
    }

    private BuildQueue() {
    }

    /**
     * @param live every build not yet ended
     * @param held whether a pipeline is held on a branch
     * @param declared whether a pipeline is still declared (a build of a removed pipeline waits rather than guessing)
     * @param parallelism most builds dispatched or running at once
     * @param automaticLeftToday how many more automatic builds may start today
     */
    public static Plan plan(Collection<Build> live, Predicate<StreakKey> held, Predicate<String> declared,
            int parallelism, int automaticLeftToday, Instant now) {
        Objects.requireNonNull(now, "now");
        Set<StreakKey> busy = new HashSet<>();
        int active = 0;
        for (Build build : live) {
            if (build.state().isActive()) {
                active++;
            }
            if (build.state().isActive() || build.state() == BuildState.RETRYING) {
                busy.add(build.key());
            }
        }
        List<Build> waiting = live.stream()
                .filter(b -> b.state() == BuildState.QUEUED || b.state() == BuildState.RETRYING)
                .sorted(OLDEST_FIRST).toList();
        List<Build> dispatch = new ArrayList<>();
        Map<String, WaitReason> reasons = new LinkedHashMap<>();
        int autoLeft = automaticLeftToday;
        for (Build build : waiting) {
            WaitReason reason = null;
            boolean retrying = build.state() == BuildState.RETRYING;
            if (!declared.test(build.pipeline())) {
                reason = WaitReason.PIPELINE_UNKNOWN;
            } else if (retrying && !build.isWaitingAt(now)) {
                reason = WaitReason.BACKOFF;
            } else if (!retrying && busy.contains(build.key())) {
                reason = WaitReason.BRANCH_BUSY;
            } else if (build.trigger().isAutomatic() && !retrying && held.test(build.key())) {
                reason = WaitReason.HELD;
            } else if (build.trigger().isAutomatic() && !retrying && autoLeft <= 0) {
                reason = WaitReason.DAILY_CAP;
            } else if (active >= parallelism) {
                reason = WaitReason.PARALLELISM;
            }
            if (reason != null) {
                reasons.put(build.id(), reason);
                continue;
            }
            dispatch.add(build);
            busy.add(build.key());
            active++;
            if (build.trigger().isAutomatic() && !retrying) {
                autoLeft--;
            }
        }
        return new Plan(dispatch, reasons);
    }
}
