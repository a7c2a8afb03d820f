package dev.monkeytown.websocket;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The service's meters; the spec's "active connections" is {@code monkeytown.ws.connections}. */
@ApplicationScoped
public class WsMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter sent;
    private final Counter laggingClosed;
    private final Counter unansweredClosed;
    private final Timer fanoutLatency;

    WsMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("monkeytown.ws.connections", connections, AtomicInteger::get)
                .description("open WebSocket connections").register(registry);
        this.sent = Counter.builder("monkeytown.ws.messages.sent").description("frames written to clients")
                .register(registry);
        this.laggingClosed = Counter.builder("monkeytown.ws.lagging.closed")
                .description("connections closed because they could not keep up").register(registry);
        this.unansweredClosed = Counter.builder("monkeytown.ws.unanswered.closed")
                .description("connections closed because they answered no ping").register(registry);
        this.fanoutLatency = Timer.builder("monkeytown.ws.fanout.latency")
                .description("from an event's arrival to the last subscriber's write")
                .publishPercentileHistogram().register(registry);
    }

    public <T> void watchSubscriptions(String topic, T source, ToDoubleFunction<T> count) {
        Gauge.builder("monkeytown.ws.subscriptions", source, count).tag("topic", topic)
                .description("subscriptions by topic").register(registry);
    }

    public void opened() {
        connections.incrementAndGet();
    }

    public void closed() {
        connections.decrementAndGet();
    }

    public void sent() {
        sent.increment();
    }

    public void laggingClosed() {
        laggingClosed.increment();
    }

    public void unansweredClosed() {
        unansweredClosed.increment();
    }

    public void fanoutLatency(long nanos) {
        fanoutLatency.record(nanos, TimeUnit.NANOSECONDS);
    }
}
