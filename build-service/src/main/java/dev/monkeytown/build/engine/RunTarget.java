package dev.monkeytown.build.engine;

import java.io.IOException;

import dev.monkeytown.build.builds.Build;

/**
 * What a runner checks out for an attempt. A build is of one commit, not of whatever its branch points at when the
 * attempt starts, so the local target pins the commit under a ref of its own; GitHub dispatches on the branch and
 * passes the commit as an input.
 */
public interface RunTarget {

    /** The ref to hand the runner for this attempt. */
    String refFor(Build build, String runId) throws IOException;

    /** The attempt is over: whatever {@link #refFor} created may go. */
    default void release(String runId) {
    }

    RunTarget BRANCH = (build, runId) -> build.ref();
}
