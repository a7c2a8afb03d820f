package dev.monkeytown.state;

/** The branch moved under every attempt to commit, past the retry bound. Nothing of the change was written. */
public class StateConflictException extends RuntimeException {

    public StateConflictException(String message) {
        super(message);
    }
}
