package dev.monkeytown.kit.problem;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every error a Monkeytown service returns.
 * <p>
 * {@code errorId} is set only on server errors: it is the key to the log line that holds what the body must not (the
 * stack trace). {@code violations} is set only on validation errors and names each offending field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, String errorId,
        List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One offending input: {@code field} is the JSON property, query or path parameter a client would recognise. */
    public record Violation(String field, String message) {
    }

    public static Problem of(ProblemType type, int status, String detail, String instance) {
        return new Problem(type.uri(), type.title(status), status, detail, instance, null, null);
    }
}
