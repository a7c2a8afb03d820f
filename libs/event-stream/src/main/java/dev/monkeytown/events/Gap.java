package dev.monkeytown.events;

/**
 * Data of the {@code gap} stream event: events the consumer asked for are no longer in the log, so it cannot rebuild
 * its view from the stream and must refetch over REST. The events that follow start at {@code firstOffset}.
 *
 * @param recovered always false; named as the browser protocol names it
 * @param epoch the producer's current epoch
 * @param after the offset the consumer resumed from
 * @param firstOffset the offset of the next event on the stream
 * @param reason {@code evicted} (older than the log keeps) or {@code epoch-changed} (the producer restarted)
 */
public record Gap(boolean recovered, String epoch, long after, long firstOffset, String reason) {

    public static final String EVICTED = "evicted";
    public static final String EPOCH_CHANGED = "epoch-changed";
}
