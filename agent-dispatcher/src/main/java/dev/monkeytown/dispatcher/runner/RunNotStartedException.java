package dev.monkeytown.dispatcher.runner;

/** Completes {@link RunningAgent#started()} for a run that ended (cancelled, checkout failed) before its agent ran. */
public final class RunNotStartedException extends RuntimeException {

    public RunNotStartedException(String runId) {
        super("run " + runId + " ended before its agent started", null, false, false);
    }
}
