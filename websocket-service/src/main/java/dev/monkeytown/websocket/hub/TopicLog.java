package dev.monkeytown.websocket.hub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import dev.monkeytown.events.Event;
import dev.monkeytown.websocket.protocol.ServerFrames;

/**
 * One topic: its position, the last {@code capacity} event frames (already serialized) and its subscribers. Every
 * method holds the topic's lock, so a subscriber joins between two events: replay and live stream meet without a gap
 * or a duplicate. Work under the lock is only enqueueing: every frame goes to a subscriber through a task on its
 * {@link Subscriber#writer() writer}, submitted under the lock, so each connection sees frames in the order the lock
 * decided them. An event costs one task per event loop, not one per subscriber.
 */
final class TopicLog {

    private record Retained(long offset, String frame) {
    }

    private final Topic topic;
    private final int capacity;
    private final ServerFrames frames;
    private final LongConsumer fanoutLatency;
    private final ArrayDeque<Retained> retained = new ArrayDeque<>();
    private final WriterGroups subscribers = new WriterGroups();
    private String epoch;
    private long head;
    /**
     * Every event of this topic after this stream offset is retained: a resume from here or later loses nothing. It
     * moves only when a retained event is evicted or the stream restarts, never with other topics' offsets.
     */
    private long complete;

    TopicLog(Topic topic, int capacity, ServerFrames frames, LongConsumer fanoutLatency) {
        this.topic = topic;
        this.capacity = capacity;
        this.frames = frames;
        this.fanoutLatency = fanoutLatency;
    }

    /** Subscribes (or re-subscribes) and answers with the {@code subscribed} frame, then any replayed events. */
    synchronized boolean subscribe(Subscriber subscriber, Position resume) {
        boolean recovered = resume != null && canReplayAfter(resume);
        List<String> answer = new ArrayList<>();
        if (recovered) {
            answer.add(frames.subscribed(topic, resume, true));
            for (Retained event : retained) {
                if (event.offset() > resume.offset()) {
                    answer.add(event.frame());
                }
            }
        } else {
            answer.add(frames.subscribed(topic, position(), false));
        }
        subscriber.writer().execute(() -> answer.forEach(subscriber::write));
        subscribers.add(subscriber);
        return recovered;
    }

    synchronized boolean unsubscribe(Subscriber subscriber) {
        return subscribers.remove(subscriber);
    }

    synchronized void append(Event event, long receivedNanos) {
        if (!follows(event.epoch(), event.offset())) {
            return;
        }
        String frame = frames.event(topic, event);
        retained.addLast(new Retained(event.offset(), frame));
        if (retained.size() > capacity) {
            complete = retained.removeFirst().offset();
        }
        head = event.offset();
        if (subscribers.size() == 0) {
            return;
        }
        Fanout fanout = new Fanout(receivedNanos, subscribers.size(), fanoutLatency);
        subscribers.submitToAll(receiver -> receiver.deliver(frame, fanout));
    }

    /**
     * The topic's producer published offset {@code offset} on another topic: its stream moved on and nothing of this
     * topic was lost, so a client resuming from before it still gets every event of this topic. (Offsets are the
     * producer stream's, shared by all its topics; only the stream can tell a real loss, by a gap.)
     */
    synchronized void pass(String eventEpoch, long offset) {
        if (follows(eventEpoch, offset)) {
            head = offset;
        }
    }

    /**
     * Whether the stream position {@code (eventEpoch, offset)} is new here, restarting the topic if it does not follow
     * on from the head: a re-delivered offset (after an upstream reconnect) is not.
     */
    private boolean follows(String eventEpoch, long offset) {
        if (epoch != null && epoch.equals(eventEpoch) && offset <= head) {
            return false;
        }
        if (epoch == null) {
            epoch = eventEpoch;
            complete = offset - 1;
        } else if (!epoch.equals(eventEpoch) || offset != head + 1) {
            restart(eventEpoch, offset - 1);
        }
        return true;
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
        complete = newHead;
        retained.clear();
        if (announced) {
            String notice = frames.subscribed(topic, position(), false);
            subscribers.submitToAll(receiver -> receiver.write(notice));
        }
    }

    synchronized Position position() {
        return new Position(epoch, head);
    }

    synchronized int subscriberCount() {
        return subscribers.size();
    }

    private boolean canReplayAfter(Position resume) {
        return epoch != null && epoch.equals(resume.epoch()) && resume.offset() <= head && resume.offset() >= complete;
    }
}
