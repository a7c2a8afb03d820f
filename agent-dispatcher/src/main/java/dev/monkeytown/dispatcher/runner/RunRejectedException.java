package dev.monkeytown.dispatcher.runner;

/**
 * The runner refused the run for a reason retrying will not fix (the agent's workflow is missing or has no
 * {@code workflow_dispatch} trigger, the agent has no local command). The run fails with this message as its reason.
 */
public final class RunRejectedException extends Exception {

    public RunRejectedException(String message) {
        super(message);
    }

    public RunRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
