package dev.monkeytown.deploy.service;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.monkeytown.runner.local.Sandbox;

/** How deploy-service reads environments, asks build-service, fetches artifacts and runs deployments. */
@ConfigMapping(prefix = "monkeytown.deploy")
public interface DeployConfig {

    /** The branch {@code .monkeytown/environments.yaml} is read from. */
    @WithDefault("main")
    String defaultBranch();

    /** How often environment branches are read: a moved head of an {@code autoDeploy} environment's branch deploys. */
    @WithDefault("5s")
    Duration pollInterval();

    /** How often the deployment loop looks for a queued deployment to start when nothing else wakes it. */
    @WithDefault("1s")
    Duration tickInterval();

    /** Where each environment lands locally: {@code <dir>/<env>} is the command's {@code MONKEYTOWN_ENVIRONMENT_DIR}. */
    @WithDefault("${monkeytown.home:.monkeytown}/environments")
    Path environmentsDirectory();

    /** Environment secrets, {@code <dir>/<env>.env}, mode 600. */
    @WithDefault("${monkeytown.home:.monkeytown}/secrets")
    Path secretsDirectory();

    Builds builds();

    Approval approval();

    Artifacts artifacts();

    Local local();

    GitHub github();

    /** GitHub mode: deployments run as {@code deploy-<env>.yml} workflows on GitHub Actions. */
    interface GitHub {

        /**
         * How often the deployments running on GitHub are read back (workflow run, GitHub deployment, its newest
         * status) in case their webhooks were lost: GitHub never redelivers.
         */
        @WithDefault("30s")
        Duration reconcileInterval();

        /** How long GitHub may take to list a dispatched workflow run before it is taken for never made. */
        @WithDefault("5m")
        Duration appearWithin();
    }

    /** build-service, asked whether the required pipelines succeeded for a commit. */
    interface Builds {

        @WithDefault("http://localhost:8083")
        URI url();

        @WithDefault("10s")
        Duration timeout();

        /** Pages of 200 succeeded builds looked through per pipeline for the commit or an identical tree. */
        @WithDefault("5")
        @Min(1)
        int pages();
    }

    /** artifact-service, whose OCI registry API the required pipelines' outputs are read from. */
    interface Artifacts {

        @WithDefault("http://localhost:8085")
        URI url();

        @WithDefault("60s")
        Duration timeout();
    }

    interface Local {

        /** Scratch checkouts of running deployment steps. */
        @WithDefault("${monkeytown.home:.monkeytown}/work/deploy-service")
        Path workDirectory();

        /** A deployment's artifacts while it runs ({@code <dir>/<id>}, the command's {@code MONKEYTOWN_ARTIFACTS}). */
        @WithDefault("${monkeytown.home:.monkeytown}/work/deploy-artifacts")
        Path artifactsDirectory();

        /** One log per step, served by {@code GET /api/v1/deployments/{id}/log}. */
        @WithDefault("${monkeytown.home:.monkeytown}/logs/deployments")
        Path logDirectory();

        /** Seed the repository with the example environments ({@code staging}, {@code production}) if it has none. */
        @WithDefault("true")
        boolean seedExamples();

        @WithDefault("2")
        @Min(1)
        int workers();

        @WithDefault("5s")
        Duration killGrace();

        /** {@code auto}, {@code bubblewrap} or {@code none}, as for agents and builds (docs/runner.md). */
        @WithDefault("auto")
        Sandbox.Mode sandbox();

        /** Paths a deployment may write besides its scratch directory and the environments directory. */
        Optional<List<Path>> writablePaths();

        /** Paths a deployment must not see, besides the ones always hidden. */
        Optional<List<Path>> hiddenPaths();
    }

    interface Approval {
        /**
         * Refuse an approval or rejection by whoever asked for the deployment, as GitHub's environment option of that
         * name. Off by default: on a laptop one admin both asks and approves.
         */
        @WithDefault("false")
        boolean preventSelfReview();
    }
}
