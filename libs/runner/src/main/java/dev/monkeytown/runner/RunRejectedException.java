package dev.monkeytown.runner;

/**
 * The runner refused the run for a reason retrying will not fix (the workflow is missing or has no
 * {@code workflow_dispatch} trigger, the token lacks the permission to dispatch it: a 403 naming the permission, the run has no
 * command for the local runner). The run fails with this message as its reason.
 */
public final class RunRejectedException extends Exception {

    public RunRejectedException(String message) {
        super(message);
    }

    public RunRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
