package dev.monkeytown.deploy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;

import dev.monkeytown.deploy.service.DeployMode;
import dev.monkeytown.state.quarkus.StateStoreConfig;

/** In GitHub mode the deployments API answers 501, while the alerts are received and listed as in every mode. */
class DeploymentsNotRunHereTest {

    @Test
    void gitHubModeRefusesDeploymentsButNotAlerts() throws Exception {
        DeploymentsNotRunHere filter = new DeploymentsNotRunHere(mode(StateStoreConfig.Backend.GITHUB));
        assertEquals(501, filter.refuseWhereDeploymentsAreNotRun(request("/api/v1/environments")).getStatus());
        assertEquals(501, filter.refuseWhereDeploymentsAreNotRun(request("/api/v1/deployments")).getStatus());
        assertNull(filter.refuseWhereDeploymentsAreNotRun(request("/api/v1/alerts")));
        assertNull(filter.refuseWhereDeploymentsAreNotRun(request("/internal/alerts")));
        Response local = new DeploymentsNotRunHere(mode(StateStoreConfig.Backend.LOCAL))
                .refuseWhereDeploymentsAreNotRun(request("/api/v1/environments"));
        assertNull(local);
    }

    private static DeployMode mode(StateStoreConfig.Backend backend) throws Exception {
        StateStoreConfig config = (StateStoreConfig) Proxy.newProxyInstance(
                DeploymentsNotRunHereTest.class.getClassLoader(), new Class<?>[]{StateStoreConfig.class},
                (proxy, method, args) -> backend);
        Constructor<DeployMode> constructor = DeployMode.class.getDeclaredConstructor(StateStoreConfig.class);
        constructor.setAccessible(true); // CDI's constructor, package-private in the service package
        return constructor.newInstance(config);
    }

    private static ContainerRequestContext request(String path) {
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(DeploymentsNotRunHereTest.class.getClassLoader(),
                new Class<?>[]{UriInfo.class}, (proxy, method, args) -> path);
        return (ContainerRequestContext) Proxy.newProxyInstance(DeploymentsNotRunHereTest.class.getClassLoader(),
                new Class<?>[]{ContainerRequestContext.class}, (proxy, method, args) -> uri);
    }
}
