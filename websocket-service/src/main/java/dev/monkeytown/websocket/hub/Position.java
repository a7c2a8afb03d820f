package dev.monkeytown.websocket.hub;

/**
 * Where a subscription stands: the next event it receives is {@code offset + 1} of {@code epoch}. {@code epoch} is
 * null until the topic's producer published anything this process saw.
 */
public record Position(String epoch, long offset) {
}
