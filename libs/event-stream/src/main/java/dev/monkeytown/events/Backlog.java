package dev.monkeytown.events;

import java.util.List;

/**
 * The retained events after an offset.
 *
 * @param events the retained events after the requested offset, oldest first
 * @param firstRetained the oldest offset still in the log ({@code latest + 1} when the log is empty)
 * @param latest the newest offset ({@code 0} before the first event)
 * @param complete false when events after the requested offset were already dropped: the consumer cannot rebuild its
 *        view from the log and must refetch over REST
 */
public record Backlog(List<Event> events, long firstRetained, long latest, boolean complete) {
}
