package dev.monkeytown.dispatcher.runner;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.dispatcher.registry.AgentDeclaration;

/**
 * The {@code local} runner as the dispatcher sees it: each run a {@link LocalRunner} subprocess in a scratch clone of
 * the local repository. Its truth is this process's memory, so after a restart it knows no run; the dispatcher records
 * such runs as failed rather than guessing.
 */
public final class LocalAgentRunner implements Runner, AutoCloseable {

    public static final String KIND = "local";

    private final LocalRunner local;
    private final Path repository;
    private final String ref;
    private final Map<String, Tracked> inFlight = new ConcurrentHashMap<>();
    private volatile RunListener listener;

    private record Tracked(RunnerRef ref, CompletableFuture<Instant> started) {
    }

    public LocalAgentRunner(LocalRunner local, Path repository, String ref) {
        this.local = Objects.requireNonNull(local, "local");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.ref = Objects.requireNonNull(ref, "ref");
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void listen(RunListener runListener) {
        this.listener = Objects.requireNonNull(runListener, "listener");
    }

    @Override
    public RunnerRef start(AgentRun run, AgentDeclaration agent) throws RunRejectedException {
        AgentCommand command = agent.localCommand().orElseThrow(() -> new RunRejectedException("agent " + agent.name()
                + " has no command for the local runner; add one in .monkeytown/agents.yaml"));
        Tracked already = inFlight.get(run.id());
        if (already != null) {
            return already.ref(); // the same run asked twice (a retried start): it is one run
        }
        RunRequest request = new RunRequest(run.id(), run.agent(), command, agent.timeout(), repository, ref);
        RunnerRef runnerRef = RunnerRef.of(KIND);
        RunningAgent handle = local.start(request);
        CompletableFuture<Instant> started = handle.started().toCompletableFuture();
        inFlight.put(run.id(), new Tracked(runnerRef, started));
        started.thenAccept(at -> listener.started(run.id(), runnerRef, at));
        handle.outcome().thenAccept(outcome -> {
            inFlight.remove(run.id());
            RunnerRef finalRef = outcome instanceof RunOutcome.Succeeded succeeded && succeeded.pushedBranch()
                    ? runnerRef.withBranch(handle.branch())
                    : runnerRef;
            listener.finished(run.id(), finalRef, outcome);
        });
        return runnerRef;
    }

    @Override
    public void cancel(AgentRun run, Optional<RunnerRef> runnerRef) {
        local.cancel(run.id());
    }

    @Override
    public RunnerTruth inspect(AgentRun run, Optional<RunnerRef> runnerRef) {
        Tracked tracked = inFlight.get(run.id());
        if (tracked == null && local.everBegun(run.id())) {
            // begun by a dispatcher that is gone (killed, or replaced by this one), whose processes are stopped: the
            // run must not be started a second time, and its outcome died with that dispatcher
            return new RunnerTruth.Finished(runnerRef.orElse(RunnerRef.of(KIND)), new RunOutcome.Failed(
                    OptionalInt.empty(), "the local runner has no trace of this run's process any more: the dispatcher"
                            + " that started it stopped, and a local run does not survive its dispatcher",
                    Instant.now()));
        }
        if (tracked == null) {
            return new RunnerTruth.Unknown();
        }
        Instant startedAt = tracked.started().isDone() && !tracked.started().isCompletedExceptionally()
                ? tracked.started().join()
                : null;
        return startedAt == null
                ? new RunnerTruth.Pending(tracked.ref())
                : new RunnerTruth.Running(tracked.ref(), startedAt);
    }

    @Override
    public Optional<LogExcerpt> log(String runId, long fromByte, int maxBytes) {
        return fromByte < 0 ? local.log(runId) : local.log(runId, fromByte, maxBytes);
    }

    @Override
    public void close() {
        local.close();
    }
}
