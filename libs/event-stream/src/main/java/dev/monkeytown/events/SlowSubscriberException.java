package dev.monkeytown.events;

/**
 * Ends a subscription whose consumer fell more than its buffer behind the publishers. The consumer has every event up
 * to {@link #lastDelivered()} without gaps, so it reconnects with {@code after=lastDelivered}.
 */
public class SlowSubscriberException extends RuntimeException {

    private final long lastDelivered;

    public SlowSubscriberException(long lastDelivered, int buffer) {
        super("Subscriber fell more than " + buffer + " events behind; resume after offset " + lastDelivered, null,
                false, false);
        this.lastDelivered = lastDelivered;
    }

    /** The last offset handed to the subscriber ({@code after} of the subscription if none). */
    public long lastDelivered() {
        return lastDelivered;
    }
}
