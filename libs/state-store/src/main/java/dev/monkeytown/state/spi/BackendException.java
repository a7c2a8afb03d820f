package dev.monkeytown.state.spi;

/** The backend failed (I/O, network, GitHub error). {@code retryable} tells the engine whether waiting may help. */
public class BackendException extends Exception {

    private final boolean retryable;

    public BackendException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
