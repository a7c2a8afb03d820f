package dev.monkeytown.build;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.monkeytown.runner.local.Sandbox;

/** How build-service queues, runs and stores builds. */
@ConfigMapping(prefix = "monkeytown.build")
public interface BuildConfig {

    /** The branch {@code .monkeytown/builds.yaml} is read from. */
    @WithDefault("main")
    String defaultBranch();

    /** Most builds dispatched or running at once across pipelines (one per pipeline and branch in any case). */
    @WithDefault("2")
    int parallelism();

    /** Automatic builds a UTC day (the spec's capacity: 10 a day, at most 15); manual builds are not limited. */
    @WithDefault("15")
    int dailyAutomaticMax();

    /** How often the loop looks at backoffs and timeouts when nothing else wakes it. */
    @WithDefault("500ms")
    Duration tickInterval();

    /** How often dispatched and running attempts are checked with their runner (reports can be lost). */
    @WithDefault("30s")
    Duration reconcileInterval();

    /** How long a dispatched attempt may wait for its runner to start it before it fails as {@code infra}. */
    @WithDefault("1h")
    Duration startTimeout();

    /** How far past its pipeline's timeout a running attempt may go before this service stops it itself. */
    @WithDefault("5m")
    Duration runningGrace();

    /** How often the watched branches and builds.yaml are looked at (local mode: a moved head is a push). */
    @WithDefault("5s")
    Duration pollInterval();

    Local local();

    Artifacts artifacts();

    interface Local {
        /** Scratch checkouts of running builds. */
        @WithDefault("${monkeytown.home:.monkeytown}/work/build-service")
        Path workDirectory();

        /** One log file per attempt, served by {@code GET /api/v1/builds/{id}/log?attempt=}. */
        @WithDefault("${monkeytown.home:.monkeytown}/logs/builds")
        Path logDirectory();

        /** Outputs copied out of a finished checkout until they are stored in the registry. */
        @WithDefault("${monkeytown.home:.monkeytown}/work/build-outputs")
        Path outputDirectory();

        /** Seed the default branch with example pipelines when it has no builds.yaml and only seed commits. */
        @WithDefault("true")
        boolean seedExamples();

        @WithDefault("2")
        int workers();

        @WithDefault("5s")
        Duration killGrace();

        /** {@code auto}, {@code bubblewrap} or {@code none}, as for agents (docs/agents.md). */
        @WithDefault("auto")
        Sandbox.Mode sandbox();
    }

    interface Artifacts {
        /** artifact-service's base URL; its {@code /v2/} receives the outputs. */
        @WithDefault("http://localhost:8085")
        URI url();

        /** Per request to the registry. */
        @WithDefault("60s")
        Duration timeout();
    }
}
