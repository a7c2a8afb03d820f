package dev.monkeytown.artifact.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.logging.Log;

import dev.monkeytown.artifact.access.AccessDeniedException;
import dev.monkeytown.artifact.access.Caller;
import dev.monkeytown.artifact.catalog.CatalogRefusal;
import dev.monkeytown.artifact.storage.SpoolFullException;
import dev.monkeytown.artifact.storage.github.LfsRefusedException;
import dev.monkeytown.artifact.storage.github.LfsUnavailableException;
import dev.monkeytown.kit.problem.ProblemMappers;
import dev.monkeytown.kit.problem.ProblemResponses;
import dev.monkeytown.kit.problem.ProblemType;
import dev.monkeytown.state.StateConflictException;
import dev.monkeytown.state.StateUnavailableException;

/**
 * The service's refusals in the form of the surface they happen on: the distribution spec's
 * {@code {"errors":[{"code","message","detail"}]}} on {@code /v2/}, problem+json everywhere else. The domain code
 * throws one exception for each reason and never needs to know which surface asked.
 */
public class RegistryErrorMappers {

    private static final String RETRY_AFTER_SECONDS = "5";
    private static final String INSUFFICIENT_STORAGE_RETRY_SECONDS = "60";
    /** The service kit's answers, for whatever does not happen on {@code /v2/}. */
    private static final ProblemMappers PROBLEMS = new ProblemMappers();

    @ServerExceptionMapper
    public Response registry(RegistryException e, UriInfo uri) {
        if (!onRegistry(uri)) {
            return ProblemResponses.of(ProblemType.HTTP_STATUS, e.status(), e.getMessage(), uri.getPath());
        }
        return oci(e.code(), e.status(), e.getMessage(), e.headers());
    }

    @ServerExceptionMapper
    public Response accessDenied(AccessDeniedException e, UriInfo uri) {
        int status = e.unauthenticated() ? 401 : 403;
        Map<String, String> headers = e.unauthenticated()
                ? Map.of(HttpHeaders.WWW_AUTHENTICATE, Caller.CHALLENGE)
                : Map.of();
        if (onRegistry(uri)) {
            return oci(e.unauthenticated() ? ErrorCode.UNAUTHORIZED : ErrorCode.DENIED, status, e.getMessage(),
                    headers);
        }
        Response.ResponseBuilder problem = Response
                .fromResponse(ProblemResponses.of(ProblemType.HTTP_STATUS, status, e.getMessage(), uri.getPath()));
        headers.forEach(problem::header);
        return problem.build();
    }

    @ServerExceptionMapper
    public Response refused(CatalogRefusal e, UriInfo uri) {
        ErrorCode code = switch (e.reason()) {
            case MANIFEST_UNKNOWN, TAG_UNKNOWN -> ErrorCode.MANIFEST_UNKNOWN;
            case BLOB_UNKNOWN -> ErrorCode.BLOB_UNKNOWN;
            case MANIFEST_BLOB_UNKNOWN -> ErrorCode.MANIFEST_BLOB_UNKNOWN;
            case IMMUTABLE_TAG, PROTECTED, CHANGED -> ErrorCode.DENIED;
        };
        int status = switch (e.reason()) {
            case IMMUTABLE_TAG, PROTECTED, CHANGED -> 409;
            default -> code.status();
        };
        if (onRegistry(uri)) {
            return oci(code, status, e.getMessage(), Map.of());
        }
        return ProblemResponses.of(ProblemType.HTTP_STATUS, status, e.getMessage(), uri.getPath());
    }

    /**
     * GitHub's LFS storage refused: over its data quota is the registry being full (403, as for the registry's own
     * quota); anything else (no access, no repository) is this service's set-up, not the client's fault: 503.
     */
    @ServerExceptionMapper
    public Response lfsRefused(LfsRefusedException e, UriInfo uri) {
        if (e.insufficientStorage()) {
            // git-lfs: "insufficient storage capacity to complete the request" — the server's state, which may clear
            return unavailable("GitHub's LFS storage has no room for the blob right now (HTTP 507 Insufficient"
                    + " Storage); nothing was stored, try again later", uri, INSUFFICIENT_STORAGE_RETRY_SECONDS);
        }
        if (e.overQuota()) {
            String detail = "GitHub refused to store more: " + e.getMessage() + " Nothing was stored.";
            return onRegistry(uri)
                    ? oci(ErrorCode.DENIED, 403, detail, Map.of())
                    : ProblemResponses.of(ProblemType.HTTP_STATUS, 403, detail, uri.getPath());
        }
        Log.warnf("GitHub LFS refused an operation: %s", e.getMessage());
        return unavailable("the blob storage (GitHub LFS) refused the operation; nothing was changed", uri);
    }

    /**
     * The upload spool's budget is held by other uploads: temporary, so 503 with {@code Retry-After} on both surfaces
     * (the one-call upload of {@code /api/v1/artifacts} meets it too).
     */
    @ServerExceptionMapper
    public Response spoolFull(SpoolFullException e, UriInfo uri) {
        return unavailable(e.getMessage(), uri, SpoolFullException.RETRY_AFTER_SECONDS);
    }

    /** Unreachable, failing or rate-limiting (429) past the bounded wait: GitHub's own Retry-After passes on. */
    @ServerExceptionMapper
    public Response lfsUnavailable(LfsUnavailableException e, UriInfo uri) {
        long seconds = Math.max(Long.parseLong(RETRY_AFTER_SECONDS), e.retryAfter().map(d -> d.toSeconds()).orElse(0L));
        return unavailable("the blob storage (GitHub LFS) could not be reached or asked to wait (" + e.getMessage()
                + "); nothing was changed, try again shortly", uri, String.valueOf(seconds));
    }

    /**
     * The store did not answer in time. For a write that is not "nothing happened": the commit may have landed
     * without the answer reaching us (docs/state.md), so the client must not be told it did not.
     */
    @ServerExceptionMapper
    public Response unavailable(StateUnavailableException e, UriInfo uri) {
        return unavailable("the registry's records could not be read or written in time; a change may or may not have"
                + " been recorded: look (GET/HEAD) before repeating it, or repeat it (pushes are safe to repeat)", uri);
    }

    @ServerExceptionMapper
    public Response conflict(StateConflictException e, UriInfo uri) {
        return unavailable("the state branch kept changing, so nothing was changed; try again", uri);
    }

    private static Response unavailable(String detail, UriInfo uri) {
        return unavailable(detail, uri, RETRY_AFTER_SECONDS);
    }

    private static Response unavailable(String detail, UriInfo uri, String retryAfterSeconds) {
        Map<String, String> headers = Map.of("Retry-After", retryAfterSeconds);
        if (onRegistry(uri)) {
            return oci(ErrorCode.UNAVAILABLE, 503, detail, headers);
        }
        return Response.fromResponse(ProblemResponses.of(ProblemType.HTTP_STATUS, 503, detail, uri.getPath()))
                .header("Retry-After", retryAfterSeconds).build();
    }

    /**
     * What JAX-RS itself refuses before an endpoint runs (no route for the path, a method no endpoint has, a body or
     * {@code Accept} it cannot serve), and a {@code WebApplicationException} from anywhere. Ahead of the service kit's
     * mapper for the same type, which still answers everything off {@code /v2/}.
     */
    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (!onRegistry(uri)) {
            return PROBLEMS.webApplication(e, uri);
        }
        if (status >= 500) {
            return unexpected(e, uri);
        }
        ErrorCode code = switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.DENIED;
            case 413 -> ErrorCode.SIZE_INVALID;
            case 429 -> ErrorCode.TOOMANYREQUESTS;
            default -> ErrorCode.UNSUPPORTED; // no such endpoint or method: the spec's code for both
        };
        String detail = switch (status) {
            case 404 -> "no registry endpoint at " + uri.getPath();
            case 405 -> "this method is not allowed on " + uri.getPath();
            default -> e.getMessage();
        };
        // keep what the original answer said about itself (Allow on a 405, WWW-Authenticate on a 401)
        Map<String, String> headers = new LinkedHashMap<>();
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) && !values.isEmpty()) {
                headers.put(name, values.stream().map(String::valueOf).collect(Collectors.joining(", ")));
            }
        });
        return oci(code, status, detail, headers);
    }

    /**
     * Anything else that escapes on {@code /v2/} is a bug of ours, answered in the form OCI clients parse, with an
     * error id to quote (logged with the stack trace, which the client never sees). Elsewhere the service kit answers.
     */
    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (!onRegistry(uri)) {
            return PROBLEMS.unexpected(e, uri);
        }
        String errorId = UUID.randomUUID().toString();
        Log.errorf(e, "Unhandled error %s on %s", errorId, uri.getPath());
        return oci(ErrorCode.UNKNOWN, 500, "the registry failed to handle this request; quote error id " + errorId
                + " when reporting it", Map.of());
    }

    static boolean onRegistry(UriInfo uri) {
        String path = uri.getPath();
        return path.equals("/v2") || path.startsWith("/v2/");
    }

    /** The spec's error body. */
    static Response oci(ErrorCode code, int status, String detail, Map<String, String> headers) {
        Map<String, Object> error = detail == null
                ? Map.of("code", code.name(), "message", code.message())
                : Map.of("code", code.name(), "message", code.message(), "detail", detail);
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("errors", List.of(error)));
        headers.forEach(builder::header);
        return builder.build();
    }
}
