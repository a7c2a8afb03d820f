package dev.monkeytown.build.builds;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code queued → dispatched → running → succeeded | failed | timed_out | cancelled}, with {@code retrying} between a
 * failed attempt and the next one.
 */
public enum BuildState {
    QUEUED, DISPATCHED, RUNNING, RETRYING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == CANCELLED;
    }

    /** Holding a runner (or about to): counts against parallelism. */
    public boolean isActive() {
        return this == DISPATCHED || this == RUNNING;
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BuildState fromJson(String name) {
        for (BuildState value : values()) {
            if (value.jsonName().equals(name)) {
                return value;
            }
        }
        throw new IllegalArgumentException("not a build state: '" + name + "'");
    }
}
