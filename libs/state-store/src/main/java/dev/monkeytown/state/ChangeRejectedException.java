package dev.monkeytown.state;

/** Thrown by a change function that refuses to apply (e.g. "run already finished"); fails only that change. */
public class ChangeRejectedException extends RuntimeException {

    public ChangeRejectedException(String message) {
        super(message);
    }
}
