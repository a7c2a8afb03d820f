package dev.monkeytown.events.client;

/** Why an open stream was dropped when no I/O error says so: it ended, went idle, or the producer cut it off. */
public class StreamInterruptedException extends RuntimeException {

    public StreamInterruptedException(String message) {
        super(message, null, false, false);
    }
}
