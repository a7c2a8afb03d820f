package dev.monkeytown.dispatcher.dispatch;

/**
 * The dispatcher cannot take a request now: it has not read its runs back from the state branch yet, or it stepped
 * down because another dispatcher took over. Refused before anything is queued, so retrying later cannot duplicate.
 */
public class DispatcherNotReadyException extends RuntimeException {

    public DispatcherNotReadyException(String message) {
        super(message);
    }
}
