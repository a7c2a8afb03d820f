package dev.monkeytown.dispatcher.dispatch;

import dev.monkeytown.dispatcher.runs.RunRecord;

/** A cancel for a run that already ended: a conflict with its state, not an error of the request's form. */
public final class RunAlreadyFinishedException extends RuntimeException {

    private final transient RunRecord record;

    public RunAlreadyFinishedException(RunRecord record) {
        super("run " + record.id() + " already ended: it is " + record.run().state(), null, false, false);
        this.record = record;
    }

    public RunRecord record() {
        return record;
    }
}
