package dev.monkeytown.kit.security;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import dev.monkeytown.kit.problem.ProblemResponses;
import dev.monkeytown.kit.problem.ProblemType;

/**
 * Refuses every REST call that lacks the internal token, unless its resource is marked {@link PublicEndpoint}. Health,
 * metrics and OpenAPI are served outside JAX-RS under {@code /q} and are not affected.
 */
public class InternalTokenFilter {

    private final InternalToken token;

    InternalTokenFilter(InternalToken token) {
        this.token = token;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response requireInternalToken(ContainerRequestContext request, SimpleResourceInfo resource) {
        if (isPublic(resource) || token.matches(request.getHeaderString(InternalToken.HEADER))) {
            return null;
        }
        String detail = request.getHeaderString(InternalToken.HEADER) == null
                ? "This endpoint is internal: send the " + InternalToken.HEADER + " header"
                : "The " + InternalToken.HEADER + " header does not match this service's token";
        return Response.fromResponse(ProblemResponses.of(ProblemType.INTERNAL_TOKEN, 401, detail,
                request.getUriInfo().getPath()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "MonkeytownInternal realm=\"monkeytown\"")
                .build();
    }

    private static boolean isPublic(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return false;
        }
        if (resource.getResourceClass().isAnnotationPresent(PublicEndpoint.class)) {
            return true;
        }
        try {
            return resource.getResourceClass()
                    .getMethod(resource.getMethodName(), resource.parameterTypes())
                    .isAnnotationPresent(PublicEndpoint.class);
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
