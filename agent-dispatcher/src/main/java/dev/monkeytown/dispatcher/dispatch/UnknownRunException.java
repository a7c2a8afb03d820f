package dev.monkeytown.dispatcher.dispatch;

public final class UnknownRunException extends RuntimeException {

    public UnknownRunException(String runId) {
        super("no run with id '" + runId + "'", null, false, false);
    }
}
