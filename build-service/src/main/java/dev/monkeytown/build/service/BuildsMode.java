package dev.monkeytown.build.service;

import jakarta.inject.Singleton;

import dev.monkeytown.state.quarkus.StateStoreConfig;

/**
 * Whether this instance runs builds. Only the local backend does so far: GitHub mode (Actions runner, workflow_run
 * webhooks) is not wired, so there build-service keeps its state branch and health, and its API says so with 501
 * instead of pretending. Decided once, at start, from the state backend.
 */
@Singleton
public class BuildsMode {

    static final String NOT_WIRED = "build-service runs builds on the local backend only so far: GitHub mode"
            + " (Actions runner, workflow_run webhooks) is not wired yet (docs/builds.md)";

    private final boolean runsBuilds;

    BuildsMode(StateStoreConfig state) {
        this.runsBuilds = state.backend() == StateStoreConfig.Backend.LOCAL;
    }

    public boolean runsBuilds() {
        return runsBuilds;
    }

    public String whyNot() {
        return NOT_WIRED;
    }
}
