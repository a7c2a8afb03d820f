package dev.monkeytown.events;

/**
 * Data of the {@code overflow} stream event, the last one before the producer closes a stream whose consumer fell too
 * far behind. Nothing was skipped: reconnect with {@code after=lastOffset}.
 */
public record Overflow(String epoch, long lastOffset, String detail) {
}
