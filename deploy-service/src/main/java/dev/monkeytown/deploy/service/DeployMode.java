package dev.monkeytown.deploy.service;

import jakarta.inject.Singleton;

import dev.monkeytown.state.quarkus.StateStoreConfig;

/**
 * Where deployments run, decided once at start from the state backend: locally (the local runner runs each command and
 * health check; the suite's operators approve) or on GitHub ({@code deploy-<env>.yml} workflows on GitHub Actions,
 * whose job names the GitHub environment: GitHub enforces its reviewers, wait timers, branch policy and secrets, and
 * approval happens there, not through the suite's approve endpoint).
 */
@Singleton
public class DeployMode {

    private final boolean onGitHub;

    DeployMode(StateStoreConfig state) {
        this.onGitHub = state.backend() == StateStoreConfig.Backend.GITHUB;
    }

    /** Deployments run as GitHub Actions workflows and GitHub approves them. */
    public boolean onGitHub() {
        return onGitHub;
    }

    public String describe() {
        return onGitHub
                ? "deployments run as deploy-<env>.yml workflows on GitHub Actions; approval happens on GitHub"
                : "deployments run locally; operators approve through the API";
    }
}
