package dev.monkeytown.websocket.upstream;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Whether each producer's event stream is open right now, for operators: the {@code upstream} readiness check and the
 * {@code monkeytown.ws.upstream.connected{producer}} gauge. A producer that cannot be reached leaves its topics silent
 * while browsers stay connected, so nothing else would show it.
 */
@Singleton
public class UpstreamLinks {

    /** One producer's stream as last reported by its client. */
    public record Link(boolean open, Instant since, String detail) {
    }

    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Clock clock;

    @Inject
    UpstreamLinks(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    UpstreamLinks(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** A producer the service follows; its stream counts as down until it first opens. */
    void follow(String producer) {
        links.put(producer, new Link(false, clock.instant(), "connecting"));
        Gauge.builder("monkeytown.ws.upstream.connected", links, l -> l.get(producer).open() ? 1 : 0)
                .tag("producer", producer).description("1 while the producer's event stream is open")
                .register(registry);
    }

    void opened(String producer, String epoch) {
        links.put(producer, new Link(true, clock.instant(), "epoch " + epoch));
    }

    /**
     * The stream is not open. {@code since} stays at the moment it went down, so a producer refusing every retry
     * shows how long it has been gone, with the latest reason.
     */
    void closed(String producer, String state, Throwable cause) {
        links.compute(producer, (name, previous) -> new Link(false,
                previous == null || previous.open() ? clock.instant() : previous.since(), state + describe(cause)));
    }

    /** By producer name, in name order. */
    public SortedMap<String, Link> links() {
        return new TreeMap<>(links);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "the stream ended";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
