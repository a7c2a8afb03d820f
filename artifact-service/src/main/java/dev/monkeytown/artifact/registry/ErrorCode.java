package dev.monkeytown.artifact.registry;

/**
 * The error codes of the OCI distribution spec ("Error Codes" table), with the status each is answered with here.
 * {@code UNAVAILABLE} and {@code UNKNOWN} are not in that table (it constrains 4xx answers only) but are what Docker's
 * registry sends for a 503 and a 500, and clients treat codes they do not know as plain failures of that status.
 */
public enum ErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"), BLOB_UPLOAD_INVALID(400, "blob upload invalid"), BLOB_UPLOAD_UNKNOWN(404,
            "blob upload unknown to registry"), DIGEST_INVALID(400,
                    "provided digest did not match uploaded content"), MANIFEST_BLOB_UNKNOWN(400,
                            "manifest references a manifest or blob unknown to registry"), MANIFEST_INVALID(400,
                                    "manifest invalid"), MANIFEST_UNKNOWN(404, "manifest unknown to registry"), NAME_INVALID(
                                            400, "invalid repository name"), NAME_UNKNOWN(404,
                                                    "repository name not known to registry"), SIZE_INVALID(400,
                                                            "provided length did not match content length"), UNAUTHORIZED(401,
                                                                    "authentication required"), DENIED(403,
                                                                            "requested access to the resource is denied"), UNSUPPORTED(
                                                                                    405,
                                                                                    "the operation is unsupported"), TOOMANYREQUESTS(
                                                                                            429, "too many requests"),
    /** Docker's code for a bad {@code n} on {@code tags/list}; the OCI table has none. */
    PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"), UNAVAILABLE(503, "service unavailable"),
    /** A failure of the registry itself (a bug): answered with an error id to quote, never a stack trace. */
    UNKNOWN(500, "unknown error");

    private final int status;
    private final String message;

    ErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }
}
