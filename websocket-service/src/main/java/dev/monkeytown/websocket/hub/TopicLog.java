package dev.monkeytown.websocket.hub;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.LongConsumer;

import dev.monkeytown.events.Event;
import dev.monkeytown.websocket.protocol.ServerFrames;

/**
 * One topic: its position, the last {@code capacity} event frames (already serialized) and its subscribers. Every
 * method holds the topic's lock, so a subscriber joins between two events: replay and live stream meet without a gap
 * or a duplicate. Work under the lock is only enqueueing.
 */
final class TopicLog {

    private record Retained(long offset, String frame) {
    }

    private final Topic topic;
    private final int capacity;
    private final ServerFrames frames;
    private final LongConsumer fanoutLatency;
    private final ArrayDeque<Retained> retained = new ArrayDeque<>();
    private final Set<Subscriber> subscribers = new LinkedHashSet<>();
    private Subscriber[] snapshot = new Subscriber[0];
    private String epoch;
    private long head;

    TopicLog(Topic topic, int capacity, ServerFrames frames, LongConsumer fanoutLatency) {
        this.topic = topic;
        this.capacity = capacity;
        this.frames = frames;
        this.fanoutLatency = fanoutLatency;
    }

    /** Subscribes (or re-subscribes) and answers with the {@code subscribed} frame, then any replayed events. */
    synchronized boolean subscribe(Subscriber subscriber, Position resume) {
        boolean recovered = resume != null && canReplayAfter(resume);
        if (recovered) {
            subscriber.write(frames.subscribed(topic, resume, true));
            for (Retained event : retained) {
                if (event.offset() > resume.offset()) {
                    subscriber.write(event.frame());
                }
            }
        } else {
            subscriber.write(frames.subscribed(topic, position(), false));
        }
        if (subscribers.add(subscriber)) {
            snapshot = subscribers.toArray(new Subscriber[0]);
        }
        return recovered;
    }

    synchronized boolean unsubscribe(Subscriber subscriber) {
        if (subscribers.remove(subscriber)) {
            snapshot = subscribers.toArray(new Subscriber[0]);
            return true;
        }
        return false;
    }

    synchronized void append(Event event, long receivedNanos) {
        if (epoch != null && epoch.equals(event.epoch()) && event.offset() <= head) {
            return; // re-delivered after an upstream reconnect
        }
        if (epoch == null) {
            epoch = event.epoch();
        } else if (!epoch.equals(event.epoch()) || event.offset() != head + 1) {
            restart(event.epoch(), event.offset() - 1);
        }
        String frame = frames.event(topic, event);
        retained.addLast(new Retained(event.offset(), frame));
        if (retained.size() > capacity) {
            retained.removeFirst();
        }
        head = event.offset();
        Subscriber[] receivers = snapshot;
        if (receivers.length == 0) {
            return;
        }
        Fanout fanout = new Fanout(receivedNanos, receivers.length, fanoutLatency);
        for (Subscriber receiver : receivers) {
            receiver.deliver(frame, fanout);
        }
    }

    /**
     * The stream lost continuity: events were skipped or the producer restarted. What is retained can no longer be
     * replayed exactly, so it is dropped, and every subscriber is told to refetch with a fresh {@code subscribed}
     * frame carrying {@code recovered: false}.
     */
    synchronized void restart(String newEpoch, long newHead) {
        boolean announced = epoch != null;
        epoch = newEpoch;
        head = newHead;
        retained.clear();
        if (announced) {
            String notice = frames.subscribed(topic, position(), false);
            for (Subscriber subscriber : snapshot) {
                subscriber.write(notice);
            }
        }
    }

    synchronized Position position() {
        return new Position(epoch, head);
    }

    synchronized int subscriberCount() {
        return subscribers.size();
    }

    private boolean canReplayAfter(Position resume) {
        if (epoch == null || !epoch.equals(resume.epoch()) || resume.offset() > head) {
            return false;
        }
        long firstRetained = retained.isEmpty() ? head + 1 : retained.peekFirst().offset();
        return resume.offset() + 1 >= firstRetained;
    }
}
