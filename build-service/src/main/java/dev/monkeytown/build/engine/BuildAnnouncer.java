package dev.monkeytown.build.engine;

import dev.monkeytown.build.builds.AttemptResult;
import dev.monkeytown.build.builds.Build;

/** Where committed build changes go: the event stream and the metrics. Called on the loop thread after a commit. */
public interface BuildAnnouncer {

    /** A committed event ({@code build.*} or {@code alert.*}). */
    void publish(String type, String subject, Object data);

    /** An attempt closed with this result (counted by class). */
    default void attemptEnded(Build build, AttemptResult result) {
    }

    /**
     * A build change was recorded, whether or not it made an event (the runner's answer to a start makes none): the
     * build as stored now. Called after the turn's events.
     */
    default void recorded(Build build) {
    }

    /** A build reached its final state. */
    default void buildEnded(Build build) {
    }

    BuildAnnouncer NONE = (type, subject, data) -> {
    };
}
