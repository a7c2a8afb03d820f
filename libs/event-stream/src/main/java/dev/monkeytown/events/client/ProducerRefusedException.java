package dev.monkeytown.events.client;

/** The producer answered the stream or head request with something other than 200. */
public class ProducerRefusedException extends RuntimeException {

    private final int status;

    public ProducerRefusedException(int status, String detail) {
        super("producer answered " + status + (detail == null || detail.isBlank() ? "" : ": " + detail), null, false,
                false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
