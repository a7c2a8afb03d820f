package dev.monkeytown.events;

/**
 * Sizes of an {@link EventLog}.
 *
 * @param capacity how many recent events the log keeps; older ones are dropped and a consumer that needs them refetches
 *        over REST
 * @param subscriberBuffer how many live events one subscriber may fall behind before its stream is cut off
 */
public record EventLogSettings(int capacity, int subscriberBuffer) {

    public EventLogSettings {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        if (subscriberBuffer < 1) {
            throw new IllegalArgumentException("subscriberBuffer must be at least 1, was " + subscriberBuffer);
        }
    }
}
