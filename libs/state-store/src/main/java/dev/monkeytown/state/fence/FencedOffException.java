package dev.monkeytown.state.fence;

import dev.monkeytown.state.StateUnavailableException;

/**
 * This instance is no longer the branch's writer: another one took over (a rolling update, a second replica). Its
 * change was not written; the caller should retry against the instance that is ready now.
 */
public class FencedOffException extends StateUnavailableException {

    public FencedOffException(String message) {
        super(message, null);
    }
}
