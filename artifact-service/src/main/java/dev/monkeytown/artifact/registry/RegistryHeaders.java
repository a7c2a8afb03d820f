package dev.monkeytown.artifact.registry;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every {@code /v2/} answer says which API it is: Docker's clients look for {@code Docker-Distribution-API-Version} on
 * the version check to know they talk to a v2 registry; OCI clients ignore it.
 */
public class RegistryHeaders {

    @ServerResponseFilter
    public void apiVersion(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (path.equals("/v2") || path.startsWith("/v2/")) {
            response.getHeaders().putSingle("Docker-Distribution-API-Version", "registry/2.0");
        }
    }
}
