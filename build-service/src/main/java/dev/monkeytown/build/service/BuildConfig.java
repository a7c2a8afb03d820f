package dev.monkeytown.build.service;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.monkeytown.runner.local.Sandbox;

/** How build-service reads pipelines, queues builds, runs them and stores their outputs. */
@ConfigMapping(prefix = "monkeytown.build")
public interface BuildConfig {

    /** The branch {@code .monkeytown/builds.yaml} is read from; a build without a {@code ref} builds it. */
    @WithDefault("main")
    String defaultBranch();

    /** Builds dispatched or running at once, across pipelines (one per pipeline and branch in any case). */
    @WithDefault("2")
    @Min(1)
    int parallelism();

    /** Automatic builds a UTC day (spec: "Builds/day 10 (max 15)"); manual builds are not limited. */
    @WithDefault("15")
    @Min(0)
    int dailyAutomaticMax();

    /** How often the build loop looks at timeouts, backoffs and the queue when nothing else wakes it. */
    @WithDefault("1s")
    Duration tickInterval();

    /** How often dispatched and running attempts are checked with the runner (a report can be lost). */
    @WithDefault("60s")
    Duration reconcileInterval();

    /** How long a dispatched attempt may wait for the runner to start it before it fails as {@code infra}. */
    @WithDefault("1h")
    Duration startTimeout();

    /** How far past its pipeline's timeout a running attempt may go before build-service stops it itself. */
    @WithDefault("5m")
    Duration runningGrace();

    /**
     * How often the local repository's branch heads are read: a moved head of a branch a pipeline builds queues a
     * build, a moved default branch re-reads {@code builds.yaml}.
     */
    @WithDefault("5s")
    Duration pollInterval();

    /** How many of the newest builds are kept in memory for listing (older ones are still found by id). */
    @WithDefault("10000")
    @Min(1)
    int historySize();

    Artifacts artifacts();

    Local local();

    Github github();

    /** GitHub mode ({@code monkeytown.state.backend=github}): builds run as GitHub Actions workflow runs. */
    interface Github {

        /**
         * How often branch heads are read when webhooks bring pushes: the backstop for a lost {@code push} delivery.
         * Conditional reads, free while nothing moved.
         */
        @WithDefault("60s")
        Duration pollInterval();

        /**
         * How long the poll must keep reading a branch at a commit earlier than the head acted on before it takes that
         * for a force-push back (and builds it, as the push webhook would) rather than a replica that lags.
         */
        @WithDefault("2m")
        Duration forcePushSettle();

        /** How long GitHub may take to list a dispatched workflow run before it is taken for one that never started. */
        @WithDefault("5m")
        Duration appearWithin();

        /** Publish the commit status {@code monkeytown/build/<pipeline>} on each build's commit. */
        @WithDefault("true")
        boolean commitStatuses();

        /** The first wait before a commit status GitHub did not take is posted again; doubled up to 10 minutes. */
        @WithDefault("15s")
        Duration statusRetry();

        /** Largest Actions artifact (zip) copied into artifact-service; a larger one fails the attempt as infra. */
        @WithDefault("2G")
        io.quarkus.runtime.configuration.MemorySize maxArtifactBytes();

        /**
         * Most bytes all the Actions artifacts of one workflow run may unpack to; past it the attempt fails as infra.
         * Artifacts none of whose files the pipeline's {@code outputs} could match are not downloaded and not counted.
         */
        @WithDefault("4G")
        io.quarkus.runtime.configuration.MemorySize maxRunOutputBytes();

        /**
         * Most entries (files, empty ones too, and folders) all the downloaded Actions artifacts of one workflow run
         * may hold; past it the attempt fails as build (a re-run makes the same artifacts).
         */
        @WithDefault("10000")
        int maxRunOutputFiles();

        /**
         * How long copying a successful attempt's outputs may take as a whole: listing the run's artifacts, every
         * download and the push into artifact-service, counted from when the copy starts running (not while it waits
         * for one of the two copy threads). Past it the copy is cancelled and the attempt fails as infra.
         */
        @WithDefault("30m")
        Duration copyTimeout();

        /**
         * How long one Actions artifact download may take as a whole: the redirect, the answer and its entire body;
         * past it the download is abandoned and the attempt fails as infra.
         */
        @WithDefault("10m")
        Duration artifactTimeout();
    }

    /** Where build outputs are stored: artifact-service's OCI registry API ({@code /v2/...}). */
    interface Artifacts {

        /** artifact-service's base URL (its {@code /v2/} registry API is under it). */
        @WithDefault("http://localhost:8085")
        URI url();

        /** How long one registry call may take. */
        @WithDefault("60s")
        Duration timeout();
    }

    interface Local {

        /** Scratch checkouts of running builds. */
        @WithDefault("${monkeytown.home:.monkeytown}/work/build-service")
        Path workDirectory();

        /** One log file per attempt, served by {@code GET /api/v1/builds/{id}/log?attempt=}. */
        @WithDefault("${monkeytown.home:.monkeytown}/logs/builds")
        Path logDirectory();

        /** Where a successful attempt's outputs wait between its checkout's removal and their push. */
        @WithDefault("${monkeytown.home:.monkeytown}/work/build-outputs")
        Path outputsDirectory();

        /** Seed the repository with the example pipelines ({@code site}, {@code checks}) when it has none. */
        @WithDefault("true")
        boolean seedExamples();

        /** Build commands running at once on this machine. */
        @WithDefault("2")
        @Min(1)
        int workers();

        /** How long a stopped build gets between SIGTERM and SIGKILL. */
        @WithDefault("5s")
        Duration killGrace();

        /** {@code auto}, {@code bubblewrap} or {@code none}, as for agents (docs/runner.md). */
        @WithDefault("auto")
        Sandbox.Mode sandbox();

        /** Paths a build may write besides its scratch directory (bubblewrap only). */
        Optional<List<Path>> writablePaths();

        /** Paths a build must not see, besides the ones always hidden. */
        Optional<List<Path>> hiddenPaths();
    }
}
