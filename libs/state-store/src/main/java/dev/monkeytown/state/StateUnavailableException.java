package dev.monkeytown.state;

/**
 * The backend (disk or GitHub) could not be reached within the bounded wait. The change was not acknowledged; it may
 * still be unwritten, so callers retry with the same idempotent change.
 */
public class StateUnavailableException extends RuntimeException {

    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
