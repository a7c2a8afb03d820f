package dev.monkeytown.deploy.deployments;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * GitHub's deployment states: {@code queued → waiting (approval) → in_progress → verifying → success | failure |
 * error}; a newer success makes the previous one {@code inactive}, and so does a newer request to a queued or waiting
 * one (the newest queued wins). Each state lists the states it may go to; anything else is refused.
 */
public enum DeploymentState {
    QUEUED, WAITING, IN_PROGRESS, VERIFYING, SUCCESS, FAILURE, ERROR, INACTIVE;

    public Set<DeploymentState> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(WAITING, IN_PROGRESS, INACTIVE, ERROR);
            case WAITING -> EnumSet.of(IN_PROGRESS, INACTIVE, ERROR);
            case IN_PROGRESS -> EnumSet.of(VERIFYING, SUCCESS, FAILURE, ERROR); // success at once without a health check
            case VERIFYING -> EnumSet.of(SUCCESS, FAILURE, ERROR);
            case SUCCESS -> EnumSet.of(INACTIVE);
            case FAILURE, ERROR, INACTIVE -> EnumSet.noneOf(DeploymentState.class);
        };
    }

    /** Holds the environment: at most one deployment per environment is in one of these. */
    public boolean isActive() {
        return this == WAITING || this == IN_PROGRESS || this == VERIFYING;
    }

    /** Still to be decided on: neither running nor ended. */
    public boolean isPending() {
        return this == QUEUED || this == WAITING;
    }

    /** Ran to an end (what the deploy success rate counts). */
    public boolean isOutcome() {
        return this == SUCCESS || this == FAILURE || this == ERROR;
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DeploymentState fromJson(String name) {
        for (DeploymentState value : values()) {
            if (value.jsonName().equals(name)) {
                return value;
            }
        }
        throw new IllegalArgumentException("not a deployment state: '" + name + "'");
    }
}
