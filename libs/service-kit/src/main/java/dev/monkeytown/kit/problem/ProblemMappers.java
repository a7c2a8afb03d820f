package dev.monkeytown.kit.problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.logging.Log;

/**
 * Turns every exception that escapes a resource into {@code application/problem+json}. Registered globally because
 * the methods live outside any resource class.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json, uri);
        }
        int status = e.getResponse().getStatus();
        // a 503 is thrown on purpose (an engine too slow to record, a store unreachable) with a message written for
        // the client and a Retry-After: kept, so a client or the gateway retries; any other 5xx is a bug, hidden
        if (status >= 500 && status != 503) {
            return serverError(e, uri);
        }
        Response problem = ProblemResponses.of(ProblemType.HTTP_STATUS, status, e.getMessage(), path(uri));
        // keep headers such as Allow (405) or WWW-Authenticate (401) that the original response carried
        Response.ResponseBuilder builder = Response.fromResponse(problem);
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!"Content-Type".equalsIgnoreCase(name)) {
                values.forEach(v -> builder.header(name, String.valueOf(v)));
            }
        });
        return builder.build();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        if (e.getConstraintViolations().stream().anyMatch(ProblemMappers::isReturnValue)) {
            // the service broke its own contract: that is our bug, not the client's
            return serverError(e, uri);
        }
        List<Problem.Violation> violations = e.getConstraintViolations()
                .stream()
                .map(v -> new Problem.Violation(fieldName(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        String detail = violations.size() == 1
                ? violations.get(0).field() + ": " + violations.get(0).message()
                : violations.size() + " fields are invalid";
        return ProblemResponses.of(new Problem(ProblemType.VALIDATION.uri(), ProblemType.VALIDATION.title(400), 400,
                detail, path(uri), null, violations));
    }

    // declared for the subtype too, or Quarkus' built-in mapper for it would answer with plain JSON
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return malformedJson(e, uri);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        // Jackson's own message quotes the payload; describe the position instead so no body content reaches a log or a client
        StringBuilder detail = new StringBuilder("The body could not be read as the expected JSON");
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            detail.append(" at field '").append(mapping.getPathReference().replaceAll("^[^\\[]*\\[", "[")).append('\'');
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            detail.append(" (line ")
                    .append(location.getLineNr())
                    .append(", column ")
                    .append(location.getColumnNr())
                    .append(')');
        }
        return ProblemResponses.of(ProblemType.MALFORMED_BODY, 400, detail.toString(), path(uri));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        return serverError(e, uri);
    }

    private static Response serverError(Throwable e, UriInfo uri) {
        String errorId = UUID.randomUUID().toString();
        Log.errorf(e, "Unhandled error %s on %s", errorId, path(uri));
        Problem problem = new Problem(ProblemType.SERVER_ERROR.uri(), ProblemType.SERVER_ERROR.title(500), 500,
                "The server failed to handle this request; quote error id " + errorId + " when reporting it",
                path(uri), errorId, null);
        return ProblemResponses.of(problem);
    }

    private static boolean isReturnValue(ConstraintViolation<?> violation) {
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * The name a client knows: "setLevel.change.level" becomes "level", "create.run.inputs[0].name" becomes
     * "inputs[0].name", and a bare parameter "get.category" becomes "category".
     */
    static String fieldName(Path path) {
        String parameter = null;
        List<String> properties = new ArrayList<>();
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, CROSS_PARAMETER, RETURN_VALUE -> {
                }
                case PARAMETER -> parameter = node.getName();
                default -> properties.add(node.toString());
            }
        }
        if (!properties.isEmpty()) {
            return String.join(".", properties);
        }
        return parameter != null ? parameter : path.toString();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }
}
