package dev.monkeytown.state.engine;

import dev.monkeytown.state.spi.BackendException;

/** A read found the branch in alarm ({@link BranchAlarm}): not retryable, an operator has to look. */
final class BranchAlarmException extends BackendException {

    private final BranchAlarm alarm;

    BranchAlarmException(BranchAlarm alarm) {
        super(alarm.describe(), null, false);
        this.alarm = alarm;
    }

    BranchAlarm alarm() {
        return alarm;
    }
}
