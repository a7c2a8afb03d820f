package dev.monkeytown.dispatcher.dispatch;

import java.time.Duration;

import dev.monkeytown.dispatcher.runs.RunRecord;

/** Tells the world what the dispatcher committed: run events on the event stream, and metrics. */
public interface RunAnnouncer {

    /** Called after the commit that holds {@code record} is durable, once per event, in the order they happened. */
    void announce(String type, RunRecord record);

    /** How long the runner took to accept a run. */
    void dispatchLatency(String agent, Duration took);
}
