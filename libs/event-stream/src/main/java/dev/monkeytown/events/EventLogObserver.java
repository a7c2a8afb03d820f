package dev.monkeytown.events;

/** What the log reports about itself, so metrics live outside the log and plain tests need no registry. */
public interface EventLogObserver {

    EventLogObserver NONE = new EventLogObserver() {
    };

    default void published(Event event) {
    }

    default void subscriberDropped() {
    }
}
