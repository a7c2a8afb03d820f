package dev.monkeytown.github.testdouble;

import java.time.Instant;

/** One request as the double saw it: when it arrived, what it was and how it was accounted. */
public record RecordedRequest(Instant arrivedAt, String method, String path, CallKind kind, int status) {

    public boolean isRead() {
        return kind == CallKind.COUNTED_READ || kind == CallKind.NOT_MODIFIED;
    }
}
