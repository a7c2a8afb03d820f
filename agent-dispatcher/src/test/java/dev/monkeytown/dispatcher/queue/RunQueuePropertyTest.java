package dev.monkeytown.dispatcher.queue;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.monkeytown.kit.ids.SortableIds;

/**
 * Random arrival sequences checked step by step against a deliberately naive model of the rules (sort everything,
 * scan). Every assertion message starts with the seed, so a failure can be replayed with that one seed.
 */
class RunQueuePropertyTest {

    private static final int OPERATIONS = 300;
    /** How long a dispatched run may wait for its runner; shorter than some agents' timeouts on purpose. */
    private static final Duration START_BOUND = Duration.ofSeconds(120);

    static Stream<Long> seeds() {
        return IntStream.range(0, 200).mapToObj(i -> 0x5EED0000L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void queueFollowsTheRulesUnderRandomTraffic(long seed) {
        new Scenario(seed).run();
    }

    private static final class Scenario {
        final long seed;
        final Random random;
        final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        final SortableIds runIds;
        final RunQueue queue = new RunQueue();
        final int cap;
        final List<String> agents = new ArrayList<>();
        final Map<String, Duration> timeouts = new HashMap<>();

        // the model
        final Map<String, AgentRun> modelQueued = new LinkedHashMap<>();
        final Map<String, AgentRun> modelActive = new HashMap<>(); // by agent
        final Set<String> everDispatched = new HashSet<>();
        final Set<String> accepted = new HashSet<>();
        final Set<String> cancelledWhileQueued = new HashSet<>();
        String step = "start";

        Scenario(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            this.runIds = new SortableIds(clock, new Random(seed ^ 0xABCDL));
            int agentCount = 2 + random.nextInt(14);
            this.cap = 1 + random.nextInt(8); // often below the agent count, so the cap binds
            for (int i = 0; i < agentCount; i++) {
                String agent = "agent-" + i;
                agents.add(agent);
                timeouts.put(agent, Duration.ofSeconds(30 + random.nextInt(300)));
            }
        }

        void run() {
            for (int i = 0; i < OPERATIONS; i++) {
                clock.advance(random.nextInt(3) == 0 ? 0 : random.nextInt(20_000)); // same-millisecond bursts too
                int roll = random.nextInt(100);
                if (roll < 25) {
                    enqueue(new Trigger.Manual("user-" + random.nextInt(3)));
                } else if (roll < 38) {
                    enqueue(new Trigger.Scheduled(clock.instant()));
                } else if (roll < 50) {
                    enqueue(new Trigger.OnChange("sha" + random.nextInt(1000), List.of("p" + random.nextInt(5))));
                } else if (roll < 70) {
                    decide();
                } else if (roll < 78) {
                    start();
                } else if (roll < 90) {
                    complete();
                } else if (roll < 96) {
                    cancelQueued();
                } else {
                    timeOut();
                }
                checkInvariants();
            }
            drainWhileArrivalsContinue();
        }

        void enqueue(Trigger trigger) {
            String agent = pick(agents);
            // queuedAt sometimes lags the id's clock (a cron tick noticed late), so line order is not just id order
            Instant queuedAt = clock.instant().minusMillis(random.nextInt(4) == 0 ? random.nextInt(30_000) : 0);
            AgentRun run = AgentRun.queued(runIds.next(), agent, trigger, queuedAt);
            step = "enqueue " + run.id() + " " + agent + " " + trigger;
            AgentRun pending = trigger.isAutomatic() ? oldestQueuedAutomatic(agent) : null;
            Enqueued result = queue.enqueue(run);
            if (pending != null) {
                check(result.coalesced(), "automatic trigger should coalesce into " + pending.id());
                check(result.run().id().equals(pending.id()), "coalesced into " + result.run().id());
                check(result.run().queuedAt().equals(pending.queuedAt()), "coalescing moved the run in line");
                if (pending.trigger() instanceof Trigger.OnChange a && trigger instanceof Trigger.OnChange b) {
                    check(result.run().trigger().equals(a.mergedWith(b)), "on_change not merged");
                } else {
                    check(result.run().trigger().equals(pending.trigger()), "pending trigger changed");
                }
                modelQueued.put(pending.id(), result.run());
            } else {
                check(!result.coalesced(), "should have its own run");
                check(result.run().equals(run), "returned a different run");
                modelQueued.put(run.id(), run);
                accepted.add(run.id());
            }
        }

        void decide() {
            step = "decide cap " + cap;
            List<String> expected = oracleDecision();
            List<AgentRun> dispatched = queue.dispatchNext(cap, clock.instant());
            check(ids(dispatched).equals(expected), "decision " + ids(dispatched) + ", oracle says " + expected);
            for (AgentRun run : dispatched) {
                check(everDispatched.add(run.id()), "run " + run.id() + " dispatched twice");
                check(run.state() == RunState.DISPATCHED, "returned state " + run.state());
                modelQueued.remove(run.id());
                check(modelActive.put(run.agent(), run) == null, "agent " + run.agent() + " got a second run");
            }
        }

        void start() {
            List<AgentRun> waiting = modelActive.values().stream().filter(r -> r.state() == RunState.DISPATCHED)
                    .sorted(RunQueue.LINE_ORDER).toList();
            if (waiting.isEmpty()) {
                return;
            }
            AgentRun run = pick(waiting);
            step = "start " + run.id();
            modelActive.put(run.agent(), queue.markRunning(run.id(), clock.instant()));
        }

        void complete() {
            List<AgentRun> active = modelActive.values().stream().sorted(RunQueue.LINE_ORDER).toList();
            if (active.isEmpty()) {
                return;
            }
            AgentRun run = pick(active);
            RunState outcome = run.state() == RunState.RUNNING
                    ? pick(List.of(RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED))
                    : RunState.CANCELLED;
            step = "finish " + run.id() + " as " + outcome;
            AgentRun finished = queue.finish(run.id(), outcome, clock.instant());
            check(finished.state() == outcome, "finished as " + finished.state());
            modelActive.remove(run.agent());
        }

        void cancelQueued() {
            if (modelQueued.isEmpty()) {
                return;
            }
            AgentRun run = pick(new ArrayList<>(modelQueued.values()));
            step = "cancel queued " + run.id();
            queue.cancel(run.id(), clock.instant());
            modelQueued.remove(run.id());
            cancelledWhileQueued.add(run.id());
        }

        /** Running runs time out by their agent's timeout from their start; dispatched ones by the start bound. */
        void timeOut() {
            step = "time out";
            Instant now = clock.instant();
            Set<String> expected = new HashSet<>();
            modelActive.values().stream().filter(r -> r.state() == RunState.RUNNING)
                    .filter(r -> !now.isBefore(r.startedAt().plus(timeouts.get(r.agent()))))
                    .forEach(r -> expected.add(r.id()));
            List<AgentRun> expired = queue.expired(now, timeouts::get);
            check(new HashSet<>(ids(expired)).equals(expected), "expired " + ids(expired) + ", expected " + expected);
            for (AgentRun run : expired) {
                queue.finish(run.id(), RunState.TIMED_OUT, now);
                modelActive.remove(run.agent());
            }
            Set<String> expectedStuck = new HashSet<>();
            modelActive.values().stream().filter(r -> r.state() == RunState.DISPATCHED)
                    .filter(r -> !now.isBefore(r.dispatchedAt().plus(START_BOUND)))
                    .forEach(r -> expectedStuck.add(r.id()));
            List<AgentRun> stuck = queue.notStarted(now, START_BOUND);
            check(new HashSet<>(ids(stuck)).equals(expectedStuck), "not started " + ids(stuck) + ", expected "
                    + expectedStuck);
            for (AgentRun run : stuck) {
                queue.finish(run.id(), RunState.FAILED, now);
                modelActive.remove(run.agent());
            }
        }

        /**
         * Runs keep completing and new ones keep arriving; every run queued at the start must still be dispatched, no
         * later than its rank in line (each round completes everything, so each round dispatches at least the oldest
         * queued run, and arrivals are younger).
         */
        void drainWhileArrivalsContinue() {
            List<AgentRun> line = modelQueued.values().stream().sorted(RunQueue.LINE_ORDER).toList();
            Map<String, Integer> deadline = new HashMap<>();
            for (int i = 0; i < line.size(); i++) {
                deadline.put(line.get(i).id(), i + 1);
            }
            for (int round = 1; !deadline.isEmpty(); round++) {
                for (AgentRun run : List.copyOf(modelActive.values())) {
                    step = "drain round " + round + " finish " + run.id();
                    queue.finish(run.id(), run.state() == RunState.RUNNING ? RunState.SUCCEEDED : RunState.CANCELLED,
                            clock.instant());
                    modelActive.remove(run.agent());
                }
                // a minute per round: late arrivals, even with their lagging queuedAt, are younger than the original line
                clock.advance(60_000);
                if (round <= 50) {
                    enqueue(new Trigger.Manual("late-arrival"));
                }
                decide();
                for (AgentRun run : modelActive.values()) {
                    deadline.remove(run.id());
                }
                for (Map.Entry<String, Integer> waiting : deadline.entrySet()) {
                    check(waiting.getValue() > round, "run " + waiting.getKey() + " still queued after round " + round
                            + " but was number " + waiting.getValue() + " in line");
                }
                checkInvariants();
            }
            for (String id : accepted) {
                if (!cancelledWhileQueued.contains(id) && !modelQueued.containsKey(id)) {
                    check(everDispatched.contains(id), "run " + id + " was accepted but never dispatched");
                }
            }
        }

        void checkInvariants() {
            List<AgentRun> active = queue.active();
            check(active.size() <= cap, active.size() + " active runs over cap " + cap);
            check(active.stream().map(AgentRun::agent).distinct().count() == active.size(),
                    "two active runs for one agent: " + ids(active));
            check(active.stream().allMatch(r -> r.state().isActive()), "inactive run among active");
            check(new HashSet<>(active).equals(new HashSet<>(modelActive.values())),
                    "active " + ids(active) + ", model " + ids(List.copyOf(modelActive.values())));
            List<AgentRun> expectedLine = modelQueued.values().stream().sorted(RunQueue.LINE_ORDER).toList();
            check(queue.queued().equals(expectedLine), "queued " + ids(queue.queued()) + ", model " + ids(expectedLine));
            check(queue.queuedCount() == modelQueued.size(), "queuedCount " + queue.queuedCount());
            check(ids(queue.next(cap)).equals(oracleDecision()), "next disagrees with the oracle");
        }

        /** The rule written the obvious way: everything in line order, first run of each free agent, until the cap. */
        List<String> oracleDecision() {
            List<String> chosen = new ArrayList<>();
            Set<String> busy = new HashSet<>(modelActive.keySet());
            int free = cap - modelActive.size();
            for (AgentRun run : modelQueued.values().stream().sorted(RunQueue.LINE_ORDER).toList()) {
                if (chosen.size() >= free) {
                    break;
                }
                if (busy.add(run.agent())) {
                    chosen.add(run.id());
                }
            }
            return chosen;
        }

        AgentRun oldestQueuedAutomatic(String agent) {
            return modelQueued.values().stream().filter(r -> r.agent().equals(agent) && r.trigger().isAutomatic())
                    .min(RunQueue.LINE_ORDER).orElse(null);
        }

        <T> T pick(List<T> from) {
            return from.get(random.nextInt(from.size()));
        }

        void check(boolean condition, String message) {
            if (!condition) {
                fail("seed " + seed + " at '" + step + "': " + message);
            }
        }

        static List<String> ids(List<AgentRun> runs) {
            return runs.stream().map(AgentRun::id).toList();
        }
    }

}
