package dev.monkeytown.build.builds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Consecutive final failures of a pipeline on a branch, and whether that holds the pipeline there. Counted on final
 * outcomes only (a build that failed twice and then succeeded is a success); a cancel counts as nothing. 1–2 failures
 * warn; {@value #HOLD_AT} or more are critical and hold: automatic builds wait until an operator unholds (with a reason)
 * or a build an operator asked for succeeds.
 *
 * @param failures final failures since the last success
 * @param unholds the most recent unholds, newest last (the state branch's history keeps every one)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Streak(String pipeline, String branch, int failures, boolean held, Instant heldSince,
        String lastBuild, List<Unhold> unholds) {

    public static final int HOLD_AT = 3;
    static final int UNHOLDS_KEPT = 20;

    /** Who let a held pipeline run again, when and why. */
    public record Unhold(String by, String reason, Instant at, int failures) {
        public Unhold {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }

    public enum Severity {
        NONE, WARNING, CRITICAL
    }

    public Streak {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(branch, "branch");
        unholds = unholds == null ? List.of() : List.copyOf(unholds);
        if (failures < 0) {
            throw new IllegalArgumentException("failures cannot be negative");
        }
    }

    public static Streak clean(StreakKey key) {
        return new Streak(key.pipeline(), key.branch(), 0, false, null, null, List.of());
    }

    @JsonIgnore
    public StreakKey key() {
        return new StreakKey(pipeline, branch);
    }

    @JsonIgnore
    public Severity severity() {
        return failures == 0 ? Severity.NONE : failures < HOLD_AT ? Severity.WARNING : Severity.CRITICAL;
    }

    /** The streak after a build of this pipeline and branch reached a final state. */
    public Streak after(Build build, Instant at) {
        if (!build.key().equals(key())) {
            throw new IllegalArgumentException("build " + build.id() + " is for " + build.key() + ", not " + key());
        }
        return switch (build.state()) {
            case SUCCEEDED -> new Streak(pipeline, branch, 0, false, null, build.id(), unholds);
            case FAILED, TIMED_OUT -> {
                int next = failures + 1;
                boolean nowHeld = held || next >= HOLD_AT;
                yield new Streak(pipeline, branch, next, nowHeld, nowHeld ? (held ? heldSince : at) : null,
                        build.id(), unholds);
            }
            case CANCELLED -> this;
            default -> throw new IllegalArgumentException("build " + build.id() + " has not ended: "
                    + build.state().jsonName());
        };
    }

    /** An operator lets automatic builds run again; the count stays, so the next failure holds again. */
    public Streak unheld(String by, String reason, Instant at) {
        if (!held) {
            throw new IllegalStateException(pipeline + " is not held on " + branch);
        }
        List<Unhold> next = new ArrayList<>(unholds);
        next.add(new Unhold(by, reason, at, failures));
        if (next.size() > UNHOLDS_KEPT) {
            next = next.subList(next.size() - UNHOLDS_KEPT, next.size());
        }
        return new Streak(pipeline, branch, failures, false, null, lastBuild, next);
    }
}
