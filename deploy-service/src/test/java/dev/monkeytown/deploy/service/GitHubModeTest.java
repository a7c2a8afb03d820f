package dev.monkeytown.deploy.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;

import jakarta.enterprise.inject.Instance;

import org.junit.jupiter.api.Test;

import dev.monkeytown.state.quarkus.StateStoreConfig;

/**
 * GitHub mode is not wired: deploy-service starts there with its state branch and health but without its local
 * machinery, says why, and never pretends to deploy (its API answers 501, {@code DeploymentsNotRunHere}).
 */
class GitHubModeTest {

    @Test
    void theGitHubBackendStartsWithoutDeployingAndSaysWhy() {
        StateStoreConfig github = (StateStoreConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{StateStoreConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("backend")) {
                        return StateStoreConfig.Backend.GITHUB;
                    }
                    throw new AssertionError("nothing but the backend is read: " + method.getName());
                });
        DeployMode mode = new DeployMode(github);
        assertFalse(mode.deploys());
        assertTrue(mode.whyNot().contains("monkeytown.state.backend=local"), mode.whyNot());
        assertTrue(mode.whyNot().contains("GitHub mode"), mode.whyNot());

        @SuppressWarnings("unchecked")
        Instance<DeployLifecycle> untouched = (Instance<DeployLifecycle>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[]{Instance.class}, (proxy, method, args) -> {
                    throw new AssertionError("the local machinery was asked for: " + method.getName());
                });
        DeployStartup startup = new DeployStartup(mode, untouched);
        startup.start(null);
        startup.poll();

        IllegalStateException noRepository = assertThrows(IllegalStateException.class,
                () -> new DeployBeans().repository(github, null));
        assertTrue(noRepository.getMessage().contains("GitHub mode"), noRepository.getMessage());
    }
}
