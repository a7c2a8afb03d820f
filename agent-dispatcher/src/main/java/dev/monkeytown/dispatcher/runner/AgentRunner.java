package dev.monkeytown.dispatcher.runner;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.monkeytown.dispatcher.queue.AgentRun;
import dev.monkeytown.dispatcher.queue.RunState;
import dev.monkeytown.dispatcher.registry.AgentDeclaration;
import dev.monkeytown.runner.LogExcerpt;
import dev.monkeytown.runner.RunListener;
import dev.monkeytown.runner.RunLookup;
import dev.monkeytown.runner.RunOutcome;
import dev.monkeytown.runner.RunRejectedException;
import dev.monkeytown.runner.RunSpec;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.runner.RunnerRef;
import dev.monkeytown.runner.RunnerTruth;
import dev.monkeytown.runner.RunnerUnavailableException;
import dev.monkeytown.runner.github.GitHubActionsRunner;
import dev.monkeytown.runner.local.LocalRunner;

/**
 * The suite's runner ({@code libs/runner}) as the dispatcher uses it: an agent run and its declaration in, a
 * {@link RunSpec} out. This is where an agent run's conventions live: its variables ({@code MONKEYTOWN_RUN_ID},
 * {@code MONKEYTOWN_AGENT}, {@code MONKEYTOWN_BRANCH}, a Git identity, and the declaration's own {@code env}), the
 * branch its work is delivered on ({@code agents/<agent>/<run-id>}), its workflow ({@code agent-<name>.yml} with input
 * {@code run_id}). Agents get no secrets.
 */
public final class AgentRunner implements AutoCloseable {

    /** The input an agent workflow takes the run id in, and names its run after (docs/agents.md#github-actions). */
    static final String RUN_ID_INPUT = "run_id";

    private final Runner runner;
    private final String ref;

    /** @param ref the branch runs work on: the default branch the agents are declared on */
    public AgentRunner(Runner runner, String ref) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.ref = Objects.requireNonNull(ref, "ref");
    }

    public String kind() {
        return runner.kind();
    }

    /** The library runner underneath, for what only it serves (logs, webhooks). */
    public Runner runner() {
        return runner;
    }

    public void listen(RunListener listener) {
        runner.listen(listener);
    }

    public RunnerRef start(AgentRun run, AgentDeclaration agent)
            throws RunnerUnavailableException, RunRejectedException {
        if (runner.kind().equals(LocalRunner.KIND) && agent.command().isEmpty()) {
            throw new RunRejectedException("agent " + agent.name() + " has no command for the local runner; add one"
                    + " in .monkeytown/agents.yaml");
        }
        if (runner.kind().equals(GitHubActionsRunner.KIND) && agent.workflow().isEmpty()) {
            throw new RunRejectedException("agent " + agent.name() + " has no workflow .github/workflows/"
                    + AgentDeclaration.workflowFileName(agent.name()) + " to run on GitHub Actions");
        }
        return runner.start(specOf(run, agent, ref));
    }

    public void cancel(AgentRun run, Optional<RunnerRef> at) throws RunnerUnavailableException {
        runner.cancel(lookupOf(run, at));
    }

    public RunnerTruth inspect(AgentRun run, Optional<RunnerRef> at) throws RunnerUnavailableException {
        return runner.inspect(lookupOf(run, at));
    }

    public Optional<LogExcerpt> log(String runId, long fromByte, int maxBytes) {
        return runner.log(runId, fromByte, maxBytes);
    }

    /** Stops the runs this dispatcher started locally (GitHub's go on without it) and the runner's threads. */
    @Override
    public void close() {
        runner.close();
    }

    /** The branch an agent run's work is delivered on. */
    public static String branchFor(String agent, String runId) {
        return "agents/" + agent + "/" + runId;
    }

    static RunSpec specOf(AgentRun run, AgentDeclaration agent, String ref) {
        String branch = branchFor(run.agent(), run.id());
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MONKEYTOWN_RUN_ID", run.id());
        environment.put("MONKEYTOWN_AGENT", run.agent());
        environment.put("MONKEYTOWN_BRANCH", branch);
        // agents commit with the CLI; without an identity (a fresh machine, a container) `git commit` refuses to run
        String identity = "monkeytown-" + run.agent();
        for (String role : new String[]{"AUTHOR", "COMMITTER"}) {
            environment.put("GIT_" + role + "_NAME", identity);
            environment.put("GIT_" + role + "_EMAIL", identity + "@agents.monkeytown");
        }
        environment.putAll(agent.environment());
        return RunSpec.builder(run.id(), ref, agent.timeout())
                .command(agent.localCommand().map(AgentCommand::argv))
                .workflow(agent.workflow().map(file -> new RunSpec.WorkflowCall(file, RUN_ID_INPUT, Map.of())))
                .environment(environment)
                .deliverBranch(branch)
                .build();
    }

    static RunLookup lookupOf(AgentRun run, Optional<RunnerRef> at) {
        Instant requested = run.dispatchedAt() != null ? run.dispatchedAt() : run.queuedAt();
        return new RunLookup(run.id(), Optional.of(AgentDeclaration.workflowFileName(run.agent())), requested, at);
    }

    /** The terminal state an outcome records. */
    public static RunState stateOf(RunOutcome outcome) {
        if (outcome instanceof RunOutcome.Succeeded) {
            return RunState.SUCCEEDED;
        }
        if (outcome instanceof RunOutcome.Cancelled) {
            return RunState.CANCELLED;
        }
        if (outcome instanceof RunOutcome.TimedOut) {
            return RunState.TIMED_OUT;
        }
        return RunState.FAILED;
    }
}
