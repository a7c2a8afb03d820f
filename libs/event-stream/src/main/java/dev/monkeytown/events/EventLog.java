package dev.monkeytown.events;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import io.smallrye.mutiny.Multi;

/**
 * This process's recent events, kept in a fixed ring so memory stays bounded and an append is a few field writes under
 * one short lock. Consumers read what is retained ({@link #since}) or subscribe to backlog plus live events
 * ({@link #subscribe}); the backlog snapshot and the live registration happen under the same lock as appends, which is
 * what rules out gaps and duplicates when publishing races with subscribing.
 */
public class EventLog {

    // the type doubles as the SSE event name, so it must not carry a line break; requiring a dot keeps the stream's own
    // control events ("gap", "overflow") from ever colliding with a published type
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z0-9-]+)+");
    private static final int MAX_TYPE_LENGTH = 64;

    private final String epoch = newEpoch();
    private final Event[] ring;
    private final int subscriberBuffer;
    private final ObjectMapper json;
    private final Executor delivery;
    private final Clock clock;
    private final EventLogObserver observer;
    private final List<LiveSubscription> subscribers = new CopyOnWriteArrayList<>();
    private long latest; // guarded by this

    /**
     * @param delivery runs a subscriber's deliveries when a publish wakes it, so a publisher never executes a
     *        subscriber's code
     */
    public EventLog(EventLogSettings settings, ObjectMapper json, Executor delivery, Clock clock,
            EventLogObserver observer) {
        this.ring = new Event[settings.capacity()];
        this.subscriberBuffer = settings.subscriberBuffer();
        this.json = Objects.requireNonNull(json);
        this.delivery = Objects.requireNonNull(delivery);
        this.clock = Objects.requireNonNull(clock);
        this.observer = Objects.requireNonNull(observer);
    }

    /** A log outside Quarkus (tests, tools): plain Jackson, deliveries on the common pool, no metrics. */
    public static EventLog inMemory(int capacity, int subscriberBuffer) {
        return new EventLog(new EventLogSettings(capacity, subscriberBuffer), new ObjectMapper().findAndRegisterModules(),
                ForkJoinPool.commonPool(), Clock.systemUTC(), EventLogObserver.NONE);
    }

    public String epoch() {
        return epoch;
    }

    public int capacity() {
        return ring.length;
    }

    public int subscriberBuffer() {
        return subscriberBuffer;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    public synchronized Head head() {
        return new Head(epoch, latest);
    }

    /**
     * Appends an event and hands it to every live subscriber.
     *
     * @param data a {@link JsonNode}, any object Jackson can serialise (a record), or null; converted now, so the
     *        event does not change if the caller later mutates its object
     */
    public Event publish(String type, String subject, Object data) {
        checkType(type);
        Objects.requireNonNull(subject, "subject");
        JsonNode payload = data == null
                ? NullNode.instance
                : data instanceof JsonNode node ? node.deepCopy() : json.valueToTree(data);
        Event event;
        synchronized (this) {
            long offset = latest + 1;
            event = new Event(epoch, offset, type, subject, clock.instant(), payload);
            ring[slot(offset)] = event;
            latest = offset;
            for (LiveSubscription subscriber : subscribers) {
                if (!subscriber.offer(event)) {
                    subscribers.remove(subscriber);
                    observer.subscriberDropped();
                }
            }
        }
        observer.published(event);
        return event;
    }

    /** The retained events after {@code after}, and whether they follow it without a gap. */
    public synchronized Backlog since(long after) {
        checkAfter(after);
        long first = firstRetained();
        return new Backlog(retainedAfter(after), first, latest, after >= first - 1);
    }

    /**
     * The retained events after {@code after}, then every event published later, in offset order. If events after
     * {@code after} were already dropped the stream starts at the oldest retained one; compare the first offset with
     * {@code after + 1} to detect that. Fails with {@link SlowSubscriberException} when the subscriber falls more than
     * {@link #subscriberBuffer()} live events behind.
     *
     * @throws IllegalArgumentException when {@code after} is negative or beyond the latest offset
     */
    public Multi<Event> subscribe(long after) {
        synchronized (this) {
            checkAfter(after);
        }
        return Multi.createFrom().publisher(downstream -> attach(eventsOnly(downstream), after, false));
    }

    /** Only events published after the moment of subscription. */
    public Multi<Event> subscribeToNew() {
        return Multi.createFrom().publisher(downstream -> attach(eventsOnly(downstream), -1, false));
    }

    /**
     * Like {@link #subscribe} ({@code after} 0 or more) or {@link #subscribeToNew} ({@code after} -1), with a
     * {@link Heartbeat} whenever {@link #pingIdle} finds the stream quiet.
     */
    Multi<Delivery> subscribeWithHeartbeats(long after) {
        if (after != -1) {
            synchronized (this) {
                checkAfter(after);
            }
        }
        return Multi.createFrom().publisher(downstream -> attach(downstream, after, true));
    }

    /**
     * Sends a heartbeat to every subscriber that asked for them and has been sent nothing for {@code idle}. Meant for
     * one periodic timer per log, so quiet streams cost no timer of their own.
     */
    void pingIdle(Duration idle) {
        long now = System.nanoTime();
        long idleNanos = idle.toNanos();
        for (LiveSubscription subscriber : subscribers) {
            subscriber.pingIfIdle(now, idleNanos);
        }
    }

    // Without heartbeats a subscription hands out nothing but events. A cast rather than a Mutiny operator, because an
    // operator that sees request(-1) fails its downstream without cancelling the subscription, which would then stay
    // attached to the log.
    @SuppressWarnings("unchecked")
    private static Flow.Subscriber<? super Delivery> eventsOnly(Flow.Subscriber<? super Event> downstream) {
        return (Flow.Subscriber<? super Delivery>) downstream;
    }

    private void attach(Flow.Subscriber<? super Delivery> downstream, long after, boolean heartbeats) {
        LiveSubscription subscription;
        synchronized (this) {
            long from = after < 0 ? latest : after;
            subscription = new LiveSubscription(downstream, retainedAfter(from), from, subscriberBuffer, delivery,
                    heartbeats, this::detach);
            subscribers.add(subscription);
        }
        subscription.start();
    }

    private void detach(LiveSubscription subscription) {
        subscribers.remove(subscription);
    }

    private List<Event> retainedAfter(long after) {
        long from = Math.max(after + 1, firstRetained());
        List<Event> events = new ArrayList<>((int) Math.max(0, latest - from + 1));
        for (long offset = from; offset <= latest; offset++) {
            events.add(ring[slot(offset)]);
        }
        return events;
    }

    private long firstRetained() {
        return Math.max(1, latest - ring.length + 1);
    }

    private int slot(long offset) {
        return (int) ((offset - 1) % ring.length);
    }

    private void checkAfter(long after) {
        if (after < 0) {
            throw new IllegalArgumentException("after must be 0 or more, was " + after);
        }
        if (after > latest) {
            throw new IllegalArgumentException(
                    "after=" + after + " is beyond the latest offset " + latest + " of epoch " + epoch);
        }
    }

    private static void checkType(String type) {
        if (type == null || type.length() > MAX_TYPE_LENGTH || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException(
                    "event type must be lower-case dotted words such as run.queued (at most " + MAX_TYPE_LENGTH
                            + " characters), was " + type);
        }
    }

    private static String newEpoch() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
