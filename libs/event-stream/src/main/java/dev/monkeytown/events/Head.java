package dev.monkeytown.events;

/**
 * Where a producer's log stands: the latest offset of its current epoch ({@code 0} before the first event). A consumer
 * whose stored epoch differs must refetch over REST, since offsets restarted.
 */
public record Head(String epoch, long offset) {
}
