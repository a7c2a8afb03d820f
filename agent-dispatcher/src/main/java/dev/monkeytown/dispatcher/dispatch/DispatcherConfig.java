package dev.monkeytown.dispatcher.dispatch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.monkeytown.runner.local.Sandbox;

/** How the dispatcher queues, dispatches and watches runs. */
@ConfigMapping(prefix = "monkeytown.dispatcher")
public interface DispatcherConfig {

    /**
     * Where agents execute: {@code local} or {@code github-actions}. Unset means the one that matches the state backend
     * (local Git repository → local, GitHub → github-actions).
     */
    Optional<RunnerKind> runner();

    /** At most this many runs dispatched or running at once in the repository ("per repo: 100 concurrent"). */
    @WithDefault("100")
    @Min(1)
    int repositoryCap();

    /** The branch of the Monkeytown repository agents are declared on and run against. */
    @WithDefault("main")
    String defaultBranch();

    /** How often the loop looks at timeouts and schedules when nothing else wakes it. */
    @WithDefault("1s")
    Duration tickInterval();

    /**
     * How often active runs are checked with their runner, because progress reports can be lost (GitHub does not
     * redeliver webhooks). On GitHub an unchanged run costs a free 304.
     */
    @WithDefault("60s")
    Duration reconcileInterval();

    /**
     * How long a dispatched run may wait for its runner to start it (an Actions outage, a long queue of jobs) before it
     * is recorded as failed and cancelled at the runner. Separate from the agents' timeouts, which count from the
     * confirmed start.
     */
    @WithDefault("1h")
    Duration startTimeout();

    /** How often the default branch head is checked for changed declarations (a free 304 on GitHub when unchanged). */
    @WithDefault("15s")
    Duration registryInterval();

    /** How many of the newest runs are kept in memory for listing. */
    @WithDefault("10000")
    @Min(1)
    int historySize();

    Local local();

    interface Local {

        /** Scratch checkouts of running agents. */
        @WithDefault("${monkeytown.home:.monkeytown}/work/agent-dispatcher")
        Path workDirectory();

        /** One log file per run, served by {@code GET /api/v1/runs/{id}/log}. */
        @WithDefault("${monkeytown.home:.monkeytown}/logs/runs")
        Path logDirectory();

        /** Seed a repository without declarations with the example agents, so a fresh suite has something to run. */
        @WithDefault("true")
        boolean seedExamples();

        /** Agents running at once on this machine (the repository cap still applies). */
        @WithDefault("4")
        @Min(1)
        int workers();

        /** How long a stopped agent gets between SIGTERM and SIGKILL. */
        @WithDefault("5s")
        Duration killGrace();

        /**
         * Where agents run: {@code auto} (bubblewrap when it is installed and works here, else no sandbox, logged at
         * start), {@code bubblewrap} (refuse to start without it) or {@code none}. See docs/runner.md for what each
         * keeps out.
         */
        @WithDefault("auto")
        Sandbox.Mode sandbox();

        /**
         * Paths an agent may write besides its scratch directory (only with bubblewrap; without it an agent can write
         * wherever the service's user can).
         */
        Optional<List<Path>> writablePaths();

        /**
         * Paths an agent must not see, besides the ones always hidden (the data directory {@code monkeytown.home}, the
         * repository, the runner's work and log directories, and the tokens files named in the configuration).
         */
        Optional<List<Path>> hiddenPaths();
    }

    enum RunnerKind {
        LOCAL, GITHUB_ACTIONS
    }
}
