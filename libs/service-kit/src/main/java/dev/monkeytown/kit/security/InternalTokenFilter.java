package dev.monkeytown.kit.security;

import java.lang.annotation.Annotation;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import dev.monkeytown.kit.problem.ProblemResponses;
import dev.monkeytown.kit.problem.ProblemType;

/**
 * Refuses every REST call that lacks the internal token, unless its resource is marked {@link PublicEndpoint}. A
 * resource marked {@link AcceptsBearerInternalToken} also takes the token as {@code Authorization: Bearer}. Health,
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
        boolean bearerAccepted = isMarked(resource, AcceptsBearerInternalToken.class);
        String bearer = bearerAccepted ? bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)) : null;
        if (bearer != null && token.matches(bearer)) {
            return null;
        }
        String detail;
        if (request.getHeaderString(InternalToken.HEADER) != null || bearer != null) {
            detail = "The " + (bearer != null ? "bearer token" : InternalToken.HEADER + " header")
                    + " does not match this service's token";
        } else {
            detail = "This endpoint is internal: send the " + InternalToken.HEADER + " header"
                    + (bearerAccepted ? " or the token as Authorization: Bearer" : "");
        }
        return Response.fromResponse(ProblemResponses.of(ProblemType.INTERNAL_TOKEN, 401, detail,
                request.getUriInfo().getPath()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "MonkeytownInternal realm=\"monkeytown\"")
                .build();
    }

    private static boolean isPublic(SimpleResourceInfo resource) {
        return isMarked(resource, PublicEndpoint.class);
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String value = authorization.substring(7).trim();
        return value.isEmpty() ? null : value;
    }

    private static boolean isMarked(SimpleResourceInfo resource, Class<? extends Annotation> mark) {
        if (resource == null || resource.getResourceClass() == null) {
            return false;
        }
        if (resource.getResourceClass().isAnnotationPresent(mark)) {
            return true;
        }
        try {
            return resource.getResourceClass()
                    .getMethod(resource.getMethodName(), resource.parameterTypes())
                    .isAnnotationPresent(mark);
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
