package dev.monkeytown.dispatcher.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The queued and active runs of one repository, and the rule for which to dispatch next: oldest queued first (by
 * {@code queuedAt}, then id), at most one active run per agent, at most {@code repositoryCap} active runs in all, and an
 * agent that is busy never holds back the agents queued behind it.
 *
 * <p>
 * A mutable class with explicit operations rather than an immutable value: a decision over 10,000 queued runs has to be
 * cheaper than copying them, and the state store (not this object) is the durable record, so there is no history here
 * worth sharing between versions. Not thread-safe: the dispatcher owns one instance and serialises its calls.
 *
 * <p>
 * Finished runs leave the queue; it only ever holds runs that are {@code queued}, {@code dispatched} or
 * {@code running}.
 */
public final class RunQueue {

    /** "Per repo: 100 concurrent workflows" in the infrastructure spec. */
    public static final int DEFAULT_REPOSITORY_CAP = 100;

    /** The order of the line: who queued first, and the id to break ties between runs queued in the same instant. */
    public static final Comparator<AgentRun> LINE_ORDER = Comparator.comparing(AgentRun::queuedAt)
            .thenComparing(AgentRun::id);

    private final Map<String, AgentRun> byId = new HashMap<>();
    private final Map<String, NavigableSet<AgentRun>> queuedByAgent = new HashMap<>();
    private final Map<String, AgentRun> activeByAgent = new HashMap<>();
    /** The queued run of each agent that would go next, kept only for agents with no active run: see {@link #next}. */
    private final NavigableSet<AgentRun> readyHeads = new TreeSet<>(LINE_ORDER);
    /** Each agent's oldest queued automatic run, the one later automatic triggers coalesce into. */
    private final Map<String, AgentRun> pendingAutomatic = new HashMap<>();

    /**
     * Adds a new queued run. Automatic triggers ({@code scheduled}, {@code on_change}) for an agent that already has a
     * queued automatic run coalesce into that run, which keeps its id and place in line: both triggers ask "look at the
     * repository again", and one run that has not started yet will see everything both would have seen. Two
     * {@code on_change} triggers merge (newest sha, union of paths); otherwise the pending run's trigger is kept as is.
     * Once the pending run is dispatched, the next automatic trigger queues a new run, since the running one may
     * already have looked. Manual requests always get their own run.
     */
    public Enqueued enqueue(AgentRun run) {
        requireNew(run);
        if (run.state() != RunState.QUEUED) {
            throw new IllegalArgumentException("run " + run.id() + " is " + run.state() + ", expected queued");
        }
        AgentRun pending = pendingAutomatic.get(run.agent());
        if (run.trigger().isAutomatic() && pending != null) {
            if (pending.trigger() instanceof Trigger.OnChange earlier && run.trigger() instanceof Trigger.OnChange later) {
                AgentRun merged = pending.withTrigger(earlier.mergedWith(later));
                replaceQueued(pending, merged);
                return new Enqueued(merged, true);
            }
            return new Enqueued(pending, true);
        }
        addQueued(run);
        return new Enqueued(run, false);
    }

    /**
     * Puts back a run read from the state store after a restart, exactly as stored: queued or active, no coalescing
     * (what was recorded has already been promised to someone).
     */
    public void restore(AgentRun run) {
        requireNew(run);
        if (run.state() == RunState.QUEUED) {
            addQueued(run);
        } else if (run.state().isActive()) {
            AgentRun other = activeByAgent.get(run.agent());
            if (other != null) {
                throw new IllegalStateException("agent " + run.agent() + " already has active run " + other.id()
                        + ", cannot restore " + run.id());
            }
            AgentRun before = readyHead(run.agent());
            byId.put(run.id(), run);
            activeByAgent.put(run.agent(), run);
            refreshReadyHead(before, run.agent());
        } else {
            throw new IllegalArgumentException("run " + run.id() + " is " + run.state() + "; only live runs are queued");
        }
    }

    /**
     * The runs to dispatch now, oldest first, without changing anything. Cost is O(k log n) for k runs returned: busy
     * agents are not in {@link #readyHeads} at all, so there is nothing to skip over.
     */
    public List<AgentRun> next(int repositoryCap) {
        if (repositoryCap < 0) {
            throw new IllegalArgumentException("repositoryCap must not be negative: " + repositoryCap);
        }
        int free = repositoryCap - activeByAgent.size();
        List<AgentRun> chosen = new ArrayList<>(Math.max(0, Math.min(free, readyHeads.size())));
        for (AgentRun head : readyHeads) {
            if (chosen.size() >= free) {
                break;
            }
            chosen.add(head);
        }
        return chosen;
    }

    /** {@link #next} and {@link #markDispatched} in one step; returns the runs as now dispatched. */
    public List<AgentRun> dispatchNext(int repositoryCap, Instant at) {
        List<AgentRun> dispatched = new ArrayList<>();
        for (AgentRun run : next(repositoryCap)) {
            dispatched.add(markDispatched(run.id(), at));
        }
        return dispatched;
    }

    /**
     * Records that the runner was asked to start this queued run. The one-per-agent rule is enforced here; the
     * repository cap is a parameter of the decision ({@link #next}) and is not re-checked.
     */
    public AgentRun markDispatched(String id, Instant at) {
        AgentRun run = require(id);
        AgentRun other = activeByAgent.get(run.agent());
        if (run.state() == RunState.QUEUED && other != null) {
            throw new IllegalStateException("agent " + run.agent() + " already has active run " + other.id()
                    + ", cannot dispatch " + id);
        }
        AgentRun dispatched = run.moveTo(RunState.DISPATCHED, at);
        AgentRun before = readyHead(run.agent());
        removeQueued(run);
        byId.put(id, dispatched);
        activeByAgent.put(run.agent(), dispatched);
        refreshReadyHead(before, run.agent());
        return dispatched;
    }

    public AgentRun markRunning(String id, Instant at) {
        AgentRun running = require(id).moveTo(RunState.RUNNING, at);
        byId.put(id, running);
        activeByAgent.put(running.agent(), running);
        return running;
    }

    /**
     * Ends a queued or active run with a terminal {@code outcome} and drops it from the queue; an active run frees its
     * agent and a repository slot.
     */
    public AgentRun finish(String id, RunState outcome, Instant at) {
        if (!outcome.isTerminal()) {
            throw new IllegalArgumentException("finish needs a terminal state, not " + outcome);
        }
        AgentRun run = require(id);
        AgentRun finished = run.moveTo(outcome, at);
        AgentRun before = readyHead(run.agent());
        if (run.state() == RunState.QUEUED) {
            removeQueued(run);
        } else {
            activeByAgent.remove(run.agent());
        }
        byId.remove(id);
        refreshReadyHead(before, run.agent());
        return finished;
    }

    public AgentRun cancel(String id, Instant at) {
        return finish(id, RunState.CANCELLED, at);
    }

    /**
     * Running runs that have used up their agent's timeout, measured from the runner's confirmed start: time spent
     * waiting for a runner (an Actions outage, a queue of jobs) is not the agent's. A run is expired once {@code now}
     * is at or past {@code startedAt + timeout}. Oldest start first. Linear in the active runs, which the cap keeps
     * small. Runs that never started are {@link #notStarted}'s.
     */
    public List<AgentRun> expired(Instant now, Function<String, Duration> timeoutForAgent) {
        List<AgentRun> expired = new ArrayList<>();
        for (AgentRun run : activeByAgent.values()) {
            if (run.state() != RunState.RUNNING) {
                continue;
            }
            Duration timeout = Objects.requireNonNull(timeoutForAgent.apply(run.agent()),
                    () -> "no timeout for agent " + run.agent());
            if (!now.isBefore(run.startedAt().plus(timeout))) {
                expired.add(run);
            }
        }
        expired.sort(Comparator.comparing(AgentRun::startedAt).thenComparing(AgentRun::id));
        return expired;
    }

    /**
     * Dispatched runs the runner has not started within {@code bound} of their dispatch: accepted and never picked up,
     * or never accepted at all. A separate bound from the agents' timeouts, because such a run never ran. Oldest
     * dispatch first.
     */
    public List<AgentRun> notStarted(Instant now, Duration bound) {
        Objects.requireNonNull(bound, "bound");
        List<AgentRun> stuck = new ArrayList<>();
        for (AgentRun run : activeByAgent.values()) {
            if (run.state() == RunState.DISPATCHED && !now.isBefore(run.dispatchedAt().plus(bound))) {
                stuck.add(run);
            }
        }
        stuck.sort(Comparator.comparing(AgentRun::dispatchedAt).thenComparing(AgentRun::id));
        return stuck;
    }

    public Optional<AgentRun> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every queued run in line order. O(n log n); for listing, not for the dispatch loop. */
    public List<AgentRun> queued() {
        List<AgentRun> all = new ArrayList<>(byId.size());
        queuedByAgent.values().forEach(all::addAll);
        all.sort(LINE_ORDER);
        return all;
    }

    public List<AgentRun> queuedFor(String agent) {
        NavigableSet<AgentRun> line = queuedByAgent.get(agent);
        return line == null ? List.of() : List.copyOf(line);
    }

    /** Active runs, oldest dispatch first. */
    public List<AgentRun> active() {
        List<AgentRun> all = new ArrayList<>(activeByAgent.values());
        all.sort(Comparator.comparing(AgentRun::dispatchedAt).thenComparing(AgentRun::id));
        return all;
    }

    public Optional<AgentRun> activeFor(String agent) {
        return Optional.ofNullable(activeByAgent.get(agent));
    }

    public int queuedCount() {
        return byId.size() - activeByAgent.size();
    }

    public int activeCount() {
        return activeByAgent.size();
    }

    private void requireNew(AgentRun run) {
        Objects.requireNonNull(run, "run");
        if (byId.containsKey(run.id())) {
            throw new IllegalArgumentException("run " + run.id() + " is already in the queue");
        }
        if (run.state() != RunState.QUEUED && !run.state().isActive()) {
            throw new IllegalArgumentException("run " + run.id() + " is " + run.state() + "; only live runs are queued");
        }
    }

    private AgentRun require(String id) {
        AgentRun run = byId.get(id);
        if (run == null) {
            throw new IllegalArgumentException("no queued or active run " + id);
        }
        return run;
    }

    private void addQueued(AgentRun run) {
        if (run.state() != RunState.QUEUED) {
            throw new IllegalArgumentException("run " + run.id() + " is " + run.state() + ", expected queued");
        }
        AgentRun before = readyHead(run.agent());
        byId.put(run.id(), run);
        queuedByAgent.computeIfAbsent(run.agent(), agent -> new TreeSet<>(LINE_ORDER)).add(run);
        AgentRun pending = pendingAutomatic.get(run.agent());
        if (run.trigger().isAutomatic() && (pending == null || LINE_ORDER.compare(run, pending) < 0)) {
            pendingAutomatic.put(run.agent(), run);
        }
        refreshReadyHead(before, run.agent());
    }

    private void removeQueued(AgentRun run) {
        NavigableSet<AgentRun> line = queuedByAgent.get(run.agent());
        line.remove(run);
        if (line.isEmpty()) {
            queuedByAgent.remove(run.agent());
        }
        if (pendingAutomatic.get(run.agent()) == run) {
            // Normally the only automatic one; restored runs can leave more, so look for the next oldest.
            pendingAutomatic.remove(run.agent());
            if (line.isEmpty()) {
                return;
            }
            line.stream().filter(r -> r.trigger().isAutomatic()).findFirst()
                    .ifPresent(r -> pendingAutomatic.put(r.agent(), r));
        }
    }

    private void replaceQueued(AgentRun old, AgentRun replacement) {
        AgentRun before = readyHead(old.agent());
        NavigableSet<AgentRun> line = queuedByAgent.get(old.agent());
        line.remove(old); // equal in line order, so remove then add swaps the value in place
        line.add(replacement);
        byId.put(replacement.id(), replacement);
        pendingAutomatic.put(replacement.agent(), replacement);
        refreshReadyHead(before, old.agent());
    }

    /** The run {@link #readyHeads} must hold for this agent, or null. */
    private AgentRun readyHead(String agent) {
        if (activeByAgent.containsKey(agent)) {
            return null;
        }
        NavigableSet<AgentRun> line = queuedByAgent.get(agent);
        return line == null ? null : line.first();
    }

    private void refreshReadyHead(AgentRun before, String agent) {
        AgentRun after = readyHead(agent);
        if (before == after) {
            return;
        }
        if (before != null) {
            readyHeads.remove(before);
        }
        if (after != null) {
            readyHeads.add(after);
        }
    }
}
