package dev.monkeytown.build.builds;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why an attempt failed, decided once where the runner's report enters the service ({@link AttemptResult#of}) and
 * carried from there: the retry policy, the attempt record and the metrics all read this value, never the raw report.
 */
public enum FailureClass {
    /** The machinery failed, not the code: runner lost or unreachable, process killed, outputs not stored. */
    INFRA,
    /** The command ran past the pipeline's timeout. */
    TIMEOUT,
    /** The command itself failed (non-zero exit): deterministic, so not retried unless the pipeline says so. */
    BUILD;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FailureClass fromJson(String name) {
        for (FailureClass value : values()) {
            if (value.jsonName().equals(name)) {
                return value;
            }
        }
        throw new IllegalArgumentException("not a failure class: '" + name + "' (infra, timeout or build)");
    }
}
