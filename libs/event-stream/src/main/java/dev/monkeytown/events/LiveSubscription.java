package dev.monkeytown.events;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One subscriber's view of the log: a backlog snapshot, then a bounded queue the log fills as it publishes. Signals to
 * the subscriber are serialised by a work-in-progress counter (whoever moves it from 0 drains), so publishers only
 * enqueue and never run subscriber code; when the queue is full the subscription fails instead of making the
 * publisher wait.
 *
 * <p>
 * A subscription opened with heartbeats also hands out a {@link Heartbeat} when {@link #pingIfIdle} finds it quiet.
 * The heartbeat goes through the same drain as events, so it is never interleaved with them, it is sent only when
 * nothing is queued and the subscriber has demand left (a stalled subscriber misses it), and it never enters
 * the bounded queue, so it can never be what overflows a subscriber.
 */
final class LiveSubscription implements Flow.Subscription {

    private final Flow.Subscriber<? super Delivery> downstream;
    private final Queue<Event> live;
    private final int buffer;
    private final Executor delivery;
    private final Consumer<LiveSubscription> detach;
    private final boolean heartbeats;
    private final AtomicLong requested = new AtomicLong();
    // starts owned by start(), so nothing reaches the subscriber before onSubscribe returns
    private final AtomicInteger wip = new AtomicInteger(1);
    private volatile boolean cancelled;
    private volatile boolean overflowed;
    private volatile Throwable badRequest;
    private volatile boolean pingDue;
    private volatile long lastSentNanos = System.nanoTime();

    // touched only by the thread that owns wip
    private List<Event> backlog;
    private int backlogIndex;
    private long lastDelivered;

    LiveSubscription(Flow.Subscriber<? super Delivery> downstream, List<Event> backlog, long after, int buffer,
            Executor delivery, boolean heartbeats, Consumer<LiveSubscription> detach) {
        this.downstream = downstream;
        this.backlog = backlog;
        this.lastDelivered = after;
        this.buffer = buffer;
        this.live = new ArrayBlockingQueue<>(buffer);
        this.delivery = delivery;
        this.heartbeats = heartbeats;
        this.detach = detach;
    }

    void start() {
        downstream.onSubscribe(this);
        drain();
    }

    /**
     * Called by a publisher holding the log's lock. Returns false when this subscriber is too far behind: it will end
     * with {@link SlowSubscriberException} and must be removed from the log.
     */
    boolean offer(Event event) {
        if (!live.offer(event)) {
            overflowed = true;
        }
        if (wip.getAndIncrement() == 0) {
            try {
                delivery.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // shutting down: no thread will deliver any more, so end the stream here the way a slow one ends
                overflowed = true;
                drain();
                return false;
            }
        }
        return !overflowed;
    }

    /**
     * Called by the log's heartbeat timer: asks for a {@link Heartbeat} if nothing went to the subscriber for
     * {@code idleNanos}. The drain sends it on the delivery executor, like an event.
     */
    void pingIfIdle(long nowNanos, long idleNanos) {
        if (!heartbeats || nowNanos - lastSentNanos < idleNanos) {
            return;
        }
        pingDue = true;
        if (wip.getAndIncrement() == 0) {
            try {
                delivery.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // shutting down: drain here so the counter is released; the next publish ends the stream
                drain();
            }
        }
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            badRequest = new IllegalArgumentException("Reactive Streams rule 3.9: request must be positive, was " + n);
        } else {
            requested.getAndUpdate(r -> r + n < 0 ? Long.MAX_VALUE : r + n);
        }
        if (wip.getAndIncrement() == 0) {
            drain();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        detach.accept(this);
        if (wip.getAndIncrement() == 0) {
            drain();
        }
    }

    // Runs with wip owned. A terminal signal returns without releasing wip, so no further drain can ever start.
    private void drain() {
        int missed = 1;
        for (;;) {
            long demand = requested.get();
            long emitted = 0;
            for (;;) {
                if (cancelled) {
                    release();
                    return;
                }
                if (badRequest != null) {
                    release();
                    detach.accept(this);
                    downstream.onError(badRequest);
                    return;
                }
                if (overflowed) {
                    // queued events are discarded: the subscriber resumes after the last one it actually received
                    release();
                    downstream.onError(new SlowSubscriberException(lastDelivered, buffer));
                    return;
                }
                if (emitted == demand) {
                    // the subscriber is still busy with what it has (a stalled connection): it skips this heartbeat
                    pingDue = false;
                    break;
                }
                Event next = next();
                if (next == null) {
                    if (pingDue) {
                        pingDue = false;
                        emitted++;
                        lastSentNanos = System.nanoTime();
                        downstream.onNext(Heartbeat.PING);
                        continue;
                    }
                    break;
                }
                pingDue = false; // the event shows the stream is alive
                lastDelivered = next.offset();
                emitted++;
                lastSentNanos = System.nanoTime();
                downstream.onNext(next);
            }
            if (emitted != 0 && demand != Long.MAX_VALUE) {
                requested.addAndGet(-emitted);
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private Event next() {
        if (backlog != null) {
            if (backlogIndex < backlog.size()) {
                return backlog.get(backlogIndex++);
            }
            backlog = null; // let the snapshot go once delivered
        }
        return live.poll();
    }

    private void release() {
        backlog = null;
        live.clear();
    }
}
