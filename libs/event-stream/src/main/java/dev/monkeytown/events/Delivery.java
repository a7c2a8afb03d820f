package dev.monkeytown.events;

/**
 * What a subscription hands its subscriber: an {@link Event}, or, on the streams that ask for them, a {@link Heartbeat}
 * that only says the stream is alive.
 */
sealed interface Delivery permits Event, Heartbeat {
}
