package dev.monkeytown.deploy.service;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;

import org.junit.jupiter.api.Test;

import dev.monkeytown.state.quarkus.StateStoreConfig;

/** GitHub mode is not built: deploy-service refuses to start there, and says why, rather than pretend. */
class GitHubModeRefusedTest {

    @Test
    void theGitHubBackendIsRefusedAtStartWithAMessageSayingWhy() {
        StateStoreConfig github = (StateStoreConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{StateStoreConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("backend")) {
                        return StateStoreConfig.Backend.GITHUB;
                    }
                    throw new AssertionError("nothing but the backend is read before refusing: " + method.getName());
                });
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new DeployStartup(github, null).start(null));
        assertTrue(refused.getMessage().contains("monkeytown.state.backend=local"), refused.getMessage());
        assertTrue(refused.getMessage().contains("GitHub mode"), refused.getMessage());
        IllegalStateException noRepository = assertThrows(IllegalStateException.class,
                () -> new DeployBeans().repository(github, null));
        assertTrue(noRepository.getMessage().contains("GitHub mode"), noRepository.getMessage());
    }
}
