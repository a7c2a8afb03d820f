package dev.monkeytown.deploy.deployments;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What deploy-service records about an environment besides its deployments: whether automatic deploys are paused, and
 * why. Stored as {@code environments/<env>.json} on the state branch.
 *
 * @param paused absent when automatic deploys run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentStatus(String environment, Pause paused, long revision) {

    /** Why automatic deploys (and new requests) stop. */
    public enum PauseReason {
        /** After a revert: no redeploying the bad commit; lifted by a new commit on the branch or an operator. */
        REVERTED,
        /** A revert failed or was impossible: only an operator lifts it. */
        REVERT_FAILED,
        /** An operator paused it: only an operator lifts it. */
        OPERATOR;

        @JsonValue
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static PauseReason fromJson(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * @param head the environment's source branch head when it paused: a {@link PauseReason#REVERTED} pause lifts
     *        when the branch has a newer commit than this
     */
    public record Pause(PauseReason reason, String by, String detail, Instant at, String head) {

        public Pause {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(at, "at");
        }

        /** Whether a commit {@code head} on the branch lifts this pause by itself. */
        public boolean liftedBy(String newHead) {
            return reason == PauseReason.REVERTED && newHead != null && !newHead.equals(head);
        }
    }

    public static EnvironmentStatus running(String environment) {
        return new EnvironmentStatus(environment, null, 0);
    }

    @JsonIgnore
    public boolean isPaused() {
        return paused != null;
    }

    public EnvironmentStatus pause(Pause pause) {
        return new EnvironmentStatus(environment, pause, revision + 1);
    }

    public EnvironmentStatus resume() {
        return new EnvironmentStatus(environment, null, revision + 1);
    }
}
