package dev.monkeytown.events.client;

import dev.monkeytown.events.Event;
import dev.monkeytown.events.Gap;

/**
 * What an {@link EventStreamClient} reports. All calls come from one Vert.x event-loop thread, one at a time and in
 * stream order: never block in them; hand blocking work to a worker.
 */
public interface EventStreamListener {

    /**
     * The stream is open.
     *
     * @param epoch the epoch the client resumes in: the producer's current one on a first connect, the epoch of the last
     *        delivered event on a reconnect (if the producer restarted since, a {@link #onGap} follows)
     */
    default void onConnected(String epoch) {
    }

    /** The next event: offsets follow on from the previous event's, or a {@link #onGap} came first. */
    void onEvent(Event event);

    /**
     * Events were missed (evicted from the producer's log) or the producer restarted with a new epoch: the view built
     * from earlier events cannot be trusted; refetch over REST. Events continue from {@code gap.firstOffset()}.
     */
    void onGap(Gap gap);

    /** A stream that was open ended; called once after each {@link #onConnected}. The client reconnects by itself. */
    default void onDisconnected(Throwable cause) {
    }

    /**
     * An attempt to open the stream failed (refused, timed out, answered with an error status); the client retries
     * with back-off by itself. Called for every failed attempt, so keep it cheap.
     */
    default void onUnavailable(Throwable cause) {
    }
}
