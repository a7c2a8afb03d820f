package dev.monkeytown.kit.problem;

import java.net.URI;

import jakarta.ws.rs.core.Response;

/**
 * The problem types the suite emits. {@code about:blank} means "nothing beyond the HTTP status" as RFC 9457 allows; the
 * others carry a fixed title so clients can branch on {@code type} instead of parsing prose.
 */
public enum ProblemType {
    HTTP_STATUS("about:blank", null), VALIDATION("urn:monkeytown:problem:validation-failed",
            "Request validation failed"), MALFORMED_BODY("urn:monkeytown:problem:malformed-body",
                    "Request body is not valid JSON for this endpoint"), INTERNAL_TOKEN(
                            "urn:monkeytown:problem:internal-token-required", "Internal token missing or wrong"), SERVER_ERROR(
                                    "urn:monkeytown:problem:server-error", "Internal server error");

    private final URI uri;
    private final String title;

    ProblemType(String uri, String title) {
        this.uri = URI.create(uri);
        this.title = title;
    }

    public URI uri() {
        return uri;
    }

    /** The fixed title, or the status's reason phrase for {@code about:blank}. */
    public String title(int status) {
        if (title != null) {
            return title;
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }
}
