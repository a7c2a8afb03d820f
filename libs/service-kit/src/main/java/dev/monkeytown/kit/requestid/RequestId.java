package dev.monkeytown.kit.requestid;

import java.util.UUID;
import java.util.regex.Pattern;

/** The correlation id that follows one request through the suite and into every log line it causes. */
public final class RequestId {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    // ids end up in log lines and response headers: accept only what cannot forge a log record or a header
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestId() {
    }

    /** The caller's id when it is safe to reuse, otherwise a fresh one. */
    public static String adoptOrCreate(String presented) {
        if (presented != null && SAFE.matcher(presented).matches()) {
            return presented;
        }
        return UUID.randomUUID().toString();
    }
}
