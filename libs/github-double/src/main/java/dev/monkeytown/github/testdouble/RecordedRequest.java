package dev.monkeytown.github.testdouble;

import java.time.Instant;

/**
 * One request as the double saw it: when it arrived, what it was and how it was accounted. {@code status} is 0 when
 * the double closed the connection without answering; {@code refusal} says which limit refused it, if any.
 */
public record RecordedRequest(Instant arrivedAt, String method, String path, CallKind kind, int status,
        Refusal refusal) {

    public RecordedRequest(Instant arrivedAt, String method, String path, CallKind kind, int status) {
        this(arrivedAt, method, path, kind, status, Refusal.NONE);
    }

    public boolean isRead() {
        return kind == CallKind.COUNTED_READ || kind == CallKind.NOT_MODIFIED;
    }

    public boolean answered() {
        return status != 0;
    }
}
