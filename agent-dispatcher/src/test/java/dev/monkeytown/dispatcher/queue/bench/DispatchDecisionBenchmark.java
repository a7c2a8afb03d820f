package dev.monkeytown.dispatcher.queue.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.dispatcher.queue.RunQueue;
import dev.monkeytown.dispatcher.queue.RunState;
import dev.monkeytown.dispatcher.queue.Trigger;

/**
 * Time of one dispatch decision with 10,000 queued runs: {@link RunQueue} (per-agent lines plus an ordered set of the
 * free agents' oldest runs) against the obvious full scan (sort every queued run, skip busy agents), side by side in one
 * run. Each iteration makes one decision with each, on identical state, checks they chose the same runs, then finishes
 * the chosen runs and queues as many new ones so the next decision sees the same load.
 *
 * <pre>
 * bench/dispatch-decision.sh [measured-decisions] [warm-up-decisions]     (defaults 2000 500)
 * </pre>
 */
public final class DispatchDecisionBenchmark {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private record Scenario(String name, int queued, int agents, int busyAgents, int cap, boolean busyAgentsOldest) {
    }

    private record Result(Scenario scenario, int minPicked, int maxPicked, long[] indexedNanos, long[] naiveNanos) {
    }

    public static void main(String[] args) {
        int measured = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        List<Scenario> scenarios = List.of(
                new Scenario("60 busy agents, 40 free slots", 10_000, 500, 60, 100, false),
                new Scenario("99 busy agents own the oldest 5,000 runs, 1 free slot", 10_000, 500, 99, 100, true),
                new Scenario("no busy agents, cap 1", 10_000, 500, 0, 1, false));
        List<Result> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            results.add(run(scenario, warmUp, measured));
        }
        System.out.printf("%nJava %s, %d cores, %d measured decisions after %d warm-up, per implementation%n%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), measured, warmUp);
        System.out.println("| scenario (10,000 queued, 500 agents, cap 100 unless said) | runs picked per decision "
                + "| RunQueue p50 (µs) | RunQueue p99 (µs) | full scan p50 (µs) | full scan p99 (µs) "
                + "| speed-up p50 | speed-up p99 |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            double ip50 = percentile(r.indexedNanos, 0.50) / 1000.0;
            double ip99 = percentile(r.indexedNanos, 0.99) / 1000.0;
            double np50 = percentile(r.naiveNanos, 0.50) / 1000.0;
            double np99 = percentile(r.naiveNanos, 0.99) / 1000.0;
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.0f× | %.0f× |%n",
                    r.scenario.name,
                    r.minPicked == r.maxPicked ? "" + r.minPicked : r.minPicked + "–" + r.maxPicked, ip50, ip99, np50, np99,
                    np50 / ip50, np99 / ip99);
        }
    }

    private static Result run(Scenario scenario, int warmUp, int measured) {
        Random random = new Random(42);
        RunQueue indexed = new RunQueue();
        FullScanQueue naive = new FullScanQueue();
        int[] sequence = {0};
        long[] clockMillis = {0};
        // Busy agents are agent-0 .. agent-(busy-1); each holds one running run that never finishes.
        for (int a = 0; a < scenario.busyAgents; a++) {
            AgentRun active = newRun("agent-" + a, sequence, clockMillis);
            indexed.enqueue(active);
            naive.enqueue(active);
            indexed.markDispatched(active.id(), T0);
            naive.markDispatched(active.id(), T0);
        }
        for (int i = 0; i < scenario.queued; i++) {
            String agent;
            if (scenario.busyAgentsOldest && i < scenario.queued / 2) {
                agent = "agent-" + random.nextInt(scenario.busyAgents);
            } else {
                agent = "agent-" + (scenario.busyAgentsOldest
                        ? scenario.busyAgents + random.nextInt(scenario.agents - scenario.busyAgents)
                        : random.nextInt(scenario.agents));
            }
            AgentRun run = newRun(agent, sequence, clockMillis);
            indexed.enqueue(run);
            naive.enqueue(run);
        }

        long[] indexedNanos = new long[measured];
        long[] naiveNanos = new long[measured];
        int minPicked = Integer.MAX_VALUE;
        int maxPicked = 0;
        for (int i = 0; i < warmUp + measured; i++) {
            Instant now = T0.plusMillis(clockMillis[0]);
            long start = System.nanoTime();
            List<AgentRun> fromIndex = indexed.dispatchNext(scenario.cap, now);
            long middle = System.nanoTime();
            List<AgentRun> fromScan = naive.dispatchNext(scenario.cap, now);
            long end = System.nanoTime();
            if (!fromIndex.equals(fromScan)) {
                throw new AssertionError("implementations disagree at decision " + i + ": " + fromIndex + " vs "
                        + fromScan);
            }
            if (i >= warmUp) {
                indexedNanos[i - warmUp] = middle - start;
                naiveNanos[i - warmUp] = end - middle;
            }
            minPicked = Math.min(minPicked, fromIndex.size());
            maxPicked = Math.max(maxPicked, fromIndex.size());
            // Keep the load steady: what was dispatched finishes, and as many new runs arrive (same agent mix).
            for (AgentRun run : fromIndex) {
                indexed.finish(run.id(), RunState.CANCELLED, now);
                naive.finish(run.agent());
                // Arrivals go to free agents only: busy agents never free up here, so runs queued for them would
                // pile up and slowly drain the free agents' lines, changing the load under measurement.
                String agent = "agent-" + (scenario.busyAgents + random.nextInt(scenario.agents - scenario.busyAgents));
                AgentRun arrival = newRun(agent, sequence, clockMillis);
                indexed.enqueue(arrival);
                naive.enqueue(arrival);
            }
        }
        if (indexed.queuedCount() != naive.queued.size()) {
            throw new AssertionError("queue sizes drifted apart");
        }
        return new Result(scenario, minPicked, maxPicked, indexedNanos, naiveNanos);
    }

    private static AgentRun newRun(String agent, int[] sequence, long[] clockMillis) {
        clockMillis[0] += 7;
        String id = String.format(Locale.ROOT, "run-%010d", sequence[0]++);
        return AgentRun.queued(id, agent, new Trigger.Manual("bench"), T0.plusMillis(clockMillis[0]));
    }

    private static double percentile(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** The baseline: the same rule done the obvious way, sorting every queued run on every decision. */
    private static final class FullScanQueue {
        final Map<String, AgentRun> queued = new HashMap<>();
        final Map<String, AgentRun> activeByAgent = new HashMap<>();

        void enqueue(AgentRun run) {
            queued.put(run.id(), run);
        }

        void markDispatched(String id, Instant at) {
            AgentRun run = queued.remove(id).moveTo(RunState.DISPATCHED, at);
            activeByAgent.put(run.agent(), run);
        }

        void finish(String agent) {
            activeByAgent.remove(agent);
        }

        List<AgentRun> dispatchNext(int cap, Instant at) {
            int free = cap - activeByAgent.size();
            List<AgentRun> line = new ArrayList<>(queued.values());
            line.sort(RunQueue.LINE_ORDER);
            Set<String> taken = new HashSet<>(activeByAgent.keySet());
            List<AgentRun> dispatched = new ArrayList<>();
            for (AgentRun run : line) {
                if (dispatched.size() >= free) {
                    break;
                }
                if (taken.add(run.agent())) {
                    AgentRun moved = run.moveTo(RunState.DISPATCHED, at);
                    queued.remove(run.id());
                    activeByAgent.put(run.agent(), moved);
                    dispatched.add(moved);
                }
            }
            return dispatched;
        }
    }
}
