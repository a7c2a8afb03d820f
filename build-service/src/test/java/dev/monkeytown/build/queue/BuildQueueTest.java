package dev.monkeytown.build.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.monkeytown.build.builds.AttemptResult;
import dev.monkeytown.build.builds.Build;
import dev.monkeytown.build.builds.BuildState;
import dev.monkeytown.build.builds.BuildTrigger;
import dev.monkeytown.build.builds.FailureClass;
import dev.monkeytown.build.builds.StreakKey;

class BuildQueueTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void oneBuildPerPipelineAndBranchOldestFirst() {
        Build older = queued("a1", "app", "main", BuildTrigger.PUSH, 1);
        Build newer = queued("a2", "app", "main", BuildTrigger.MANUAL, 2);
        Build other = queued("b1", "lib", "main", BuildTrigger.PUSH, 3);
        BuildQueue.Plan plan = BuildQueue.plan(List.of(newer, other, older), k -> false, p -> true, 10, 15, NOW);
        assertEquals(List.of(older, other), plan.dispatch());
        assertEquals(WaitReason.BRANCH_BUSY, plan.waiting().get("a2"));
    }

    @Test
    void aHeldBranchStopsAutomaticBuildsButNotManualOnes() {
        Build push = queued("a1", "app", "main", BuildTrigger.PUSH, 1);
        Build manual = queued("a2", "app", "main", BuildTrigger.MANUAL, 2);
        BuildQueue.Plan plan = BuildQueue.plan(List.of(push, manual), k -> k.equals(new StreakKey("app", "main")),
                p -> true, 10, 15, NOW);
        assertEquals(List.of(manual), plan.dispatch());
        assertEquals(WaitReason.HELD, plan.waiting().get("a1"));
    }

    @Test
    void theDailyCapStopsAutomaticBuildsOnly() {
        Build push = queued("a1", "app", "main", BuildTrigger.PUSH, 1);
        Build manual = queued("b1", "lib", "main", BuildTrigger.MANUAL, 2);
        BuildQueue.Plan plan = BuildQueue.plan(List.of(push, manual), k -> false, p -> true, 10, 0, NOW);
        assertEquals(List.of(manual), plan.dispatch());
        assertEquals(WaitReason.DAILY_CAP, plan.waiting().get("a1"));
    }

    @Test
    void aRetryingBuildWaitsOutItsBackoffAndKeepsItsBranch() {
        Build retrying = queued("a1", "app", "main", BuildTrigger.PUSH, 1).dispatched(NOW.minusSeconds(60))
                .failed(new AttemptResult.Failed(FailureClass.INFRA, null, "lost", NOW.minusSeconds(10)),
                        Optional.of(Duration.ofSeconds(30)));
        Build next = queued("a2", "app", "main", BuildTrigger.MANUAL, 2);
        BuildQueue.Plan early = BuildQueue.plan(List.of(retrying, next), k -> false, p -> true, 10, 15, NOW);
        assertTrue(early.dispatch().isEmpty());
        assertEquals(WaitReason.BACKOFF, early.waiting().get("a1"));
        assertEquals(WaitReason.BRANCH_BUSY, early.waiting().get("a2"));
        BuildQueue.Plan due = BuildQueue.plan(List.of(retrying, next), k -> false, p -> true, 10, 0,
                NOW.plusSeconds(20));
        assertEquals(List.of(retrying), due.dispatch(), "a retry is the same build: the daily cap does not apply");
    }

    /** Random live sets: the plan never breaks a rule, and never leaves a slot idle that a waiting build could use. */
    @Test
    void randomQueuesKeepEveryRule() {
        Random random = new Random(42);
        String[] pipelines = {"app", "lib", "docs"};
        String[] branches = {"main", "dev"};
        for (int round = 0; round < 3000; round++) {
            List<Build> live = new ArrayList<>();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                String pipeline = pipelines[random.nextInt(pipelines.length)];
                String branch = branches[random.nextInt(branches.length)];
                BuildTrigger trigger = BuildTrigger.values()[random.nextInt(3)];
                Build build = queued(String.format("id%03d", i), pipeline, branch, trigger, random.nextInt(100));
                boolean keyBusy = live.stream().anyMatch(b -> b.key().equals(build.key())
                        && b.state() != BuildState.QUEUED);
                int kind = random.nextInt(4);
                if (!keyBusy && kind == 1) {
                    live.add(build.dispatched(NOW));
                } else if (!keyBusy && kind == 2) {
                    live.add(build.dispatched(NOW).started(NOW, null));
                } else if (!keyBusy && kind == 3) {
                    live.add(build.dispatched(NOW).failed(new AttemptResult.Failed(FailureClass.INFRA, null, "x",
                            NOW), Optional.of(Duration.ofSeconds(random.nextInt(2) * 60))));
                } else {
                    live.add(build);
                }
            }
            Set<StreakKey> heldKeys = new HashSet<>();
            for (Build b : live) {
                if (random.nextInt(4) == 0) {
                    heldKeys.add(b.key());
                }
            }
            int parallelism = 1 + random.nextInt(4);
            int autoLeft = random.nextInt(3);
            BuildQueue.Plan plan = BuildQueue.plan(live, heldKeys::contains, p -> !p.equals("docs")
                    || random.nextBoolean(), parallelism, autoLeft, NOW);
            check(live, plan, heldKeys, parallelism, autoLeft);
        }
    }

    private static void check(List<Build> live, BuildQueue.Plan plan, Set<StreakKey> held, int parallelism,
            int autoLeft) {
        long active = live.stream().filter(b -> b.state().isActive()).count();
        assertTrue(active + plan.dispatch().size() <= Math.max(parallelism, active), "parallelism");
        Map<StreakKey, Integer> perKey = new HashMap<>();
        live.stream().filter(b -> b.state().isActive() || b.state() == BuildState.RETRYING)
                .forEach(b -> perKey.merge(b.key(), 1, Integer::sum));
        int newAutomatic = 0;
        for (Build b : plan.dispatch()) {
            assertTrue(b.isWaitingAt(NOW), "only waiting, due builds");
            if (b.state() == BuildState.QUEUED) {
                perKey.merge(b.key(), 1, Integer::sum);
                if (b.trigger().isAutomatic()) {
                    assertFalse(held.contains(b.key()), "automatic build of a held branch dispatched");
                    newAutomatic++;
                }
            }
        }
        perKey.forEach((key, count) -> assertTrue(count <= 1, "two builds at once on " + key));
        assertTrue(newAutomatic <= autoLeft, "daily cap");
        for (Build b : live) {
            if ((b.state() == BuildState.QUEUED || b.state() == BuildState.RETRYING)
                    && !plan.dispatch().contains(b)) {
                WaitReason reason = plan.waiting().get(b.id());
                assertTrue(reason != null, "a waiting build without a reason: " + b.id());
                if (reason == WaitReason.PARALLELISM) {
                    assertTrue(active + plan.dispatch().size() >= parallelism, "a slot left idle");
                }
            }
        }
        // oldest first: a dispatched build never overtakes an older one that waits only for a slot
        for (Build d : plan.dispatch()) {
            for (Build w : live) {
                if (plan.waiting().get(w.id()) == WaitReason.PARALLELISM) {
                    assertTrue(w.queuedAt().isAfter(d.queuedAt())
                            || (w.queuedAt().equals(d.queuedAt()) && w.id().compareTo(d.id()) > 0));
                }
            }
        }
    }

    private static Build queued(String id, String pipeline, String branch, BuildTrigger trigger, int secondsAgo) {
        return Build.queued(id, pipeline, branch, "sha", "tree", trigger, "someone",
                NOW.minusSeconds(1000 - secondsAgo), null);
    }
}
