package dev.monkeytown.deploy.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;

import org.junit.jupiter.api.Test;

import dev.monkeytown.state.quarkus.StateStoreConfig;

/** Where deployments run is decided once, from the state backend: GitHub mode runs them on GitHub Actions. */
class GitHubModeTest {

    @Test
    void theGitHubBackendDeploysOnGitHubActionsWhereGitHubApproves() {
        DeployMode github = new DeployMode(backend(StateStoreConfig.Backend.GITHUB));
        assertTrue(github.onGitHub());
        assertTrue(github.describe().contains("approval happens on GitHub"), github.describe());
        assertFalse(new DeployMode(backend(StateStoreConfig.Backend.LOCAL)).onGitHub());
    }

    private StateStoreConfig backend(StateStoreConfig.Backend backend) {
        return (StateStoreConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{StateStoreConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("backend")) {
                        return backend;
                    }
                    throw new AssertionError("nothing but the backend is read: " + method.getName());
                });
    }
}
