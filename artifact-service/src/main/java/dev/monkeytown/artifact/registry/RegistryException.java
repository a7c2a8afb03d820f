package dev.monkeytown.artifact.registry;

import java.util.Map;

/**
 * A refusal on {@code /v2/}, answered in the spec's error form. {@code status} may differ from the code's usual one
 * where the spec says so (416 for an upload chunk out of order, 413 for a body over the limit, 409 for an immutable
 * tag).
 */
public class RegistryException extends RuntimeException {

    private final ErrorCode code;
    private final int status;
    private final Map<String, String> headers;

    public RegistryException(ErrorCode code, String detail) {
        this(code, code.status(), detail, Map.of());
    }

    public RegistryException(ErrorCode code, int status, String detail) {
        this(code, status, detail, Map.of());
    }

    public RegistryException(ErrorCode code, int status, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.code = code;
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
