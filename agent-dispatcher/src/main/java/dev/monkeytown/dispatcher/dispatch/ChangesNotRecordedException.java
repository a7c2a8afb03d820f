package dev.monkeytown.dispatcher.dispatch;

/**
 * A push's on-change runs could not be recorded: it is not acknowledged (503), so the gateway delivers it again; the
 * next poll of the default branch would catch it up anyway.
 */
public class ChangesNotRecordedException extends RuntimeException {

    public ChangesNotRecordedException(String message, Throwable cause) {
        super(message, cause);
    }
}
