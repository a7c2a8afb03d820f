package dev.monkeytown.deploy.service;

import jakarta.inject.Singleton;

import dev.monkeytown.state.quarkus.StateStoreConfig;

/**
 * Whether this instance deploys. Only the local backend does so far: GitHub mode ({@code deploy-<env>.yml} workflows,
 * {@code deployment_status} webhooks) is not wired, so there deploy-service keeps its state branch and health, and its
 * API says so with 501 instead of pretending (a service that refused to start would crash-loop its pod and hold a
 * rollout of the whole suite). Decided once, at start, from the state backend.
 */
@Singleton
public class DeployMode {

    private final boolean deploys;

    DeployMode(StateStoreConfig state) {
        this.deploys = state.backend() == StateStoreConfig.Backend.LOCAL;
    }

    public boolean deploys() {
        return deploys;
    }

    public String whyNot() {
        return DeployBeans.NOT_WIRED;
    }
}
