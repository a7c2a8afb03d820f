package dev.monkeytown.events;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Publishes the log's counters: events by type, live subscribers, subscribers cut off for being slow. */
class EventMetrics implements EventLogObserver {

    // types are a fixed vocabulary per service; the cap only protects Prometheus from a producer bug
    static final int MAX_TYPES = 100;
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Counter dropped;

    EventMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.dropped = Counter.builder("monkeytown.events.subscribers.dropped")
                .description("Subscribers whose stream was cut off because they fell a full buffer behind")
                .register(registry);
    }

    void watch(EventLog log) {
        Gauge.builder("monkeytown.events.subscribers", log, EventLog::subscriberCount)
                .description("Live subscribers to this service's event stream")
                .register(registry);
        Gauge.builder("monkeytown.events.latest.offset", log, l -> l.head().offset())
                .description("Latest offset of this service's event log in the current epoch")
                .register(registry);
    }

    @Override
    public void published(Event event) {
        String type = published.size() < MAX_TYPES || published.containsKey(event.type()) ? event.type() : OTHER;
        published.computeIfAbsent(type, t -> Counter.builder("monkeytown.events.published")
                .description("Events appended to this service's event log, by type")
                .tag("type", t)
                .register(registry)).increment();
    }

    @Override
    public void subscriberDropped() {
        dropped.increment();
    }
}
