package dev.monkeytown.gateway.webhooks;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code monkeytown.webhooks.received{event,outcome}}: every delivery and what became of it at the gateway;
 * {@code monkeytown.webhooks.forwarded{event,consumer,outcome}}: every hand-over to a consumer. The consumer's tag is
 * {@code consumer}, not {@code service}: that one is the suite's common tag naming the meter's producer (the gateway).
 * Events outside the consumed set are tagged {@code other}, so the tag stays low-cardinality whatever a caller puts in
 * the header.
 */
@ApplicationScoped
class WebhookMetrics {

    static final String RECEIVED = "monkeytown.webhooks.received";
    static final String FORWARDED = "monkeytown.webhooks.forwarded";

    /** What the gateway did with a delivery. */
    enum Received {
        ACCEPTED, DUPLICATE, PONG, BAD_SIGNATURE, MISSING_SIGNATURE, MISSING_HEADER, UNSUPPORTED_MEDIA_TYPE, TOO_LARGE, TOO_SLOW, BUSY, NOT_CONFIGURED, METHOD_NOT_ALLOWED, ABORTED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a consumer made of a forwarded delivery. */
    enum Forwarded {
        /** 2xx. */
        DELIVERED,
        /**
         * A 4xx: the consumer refused it (a wrong internal token, a body it cannot read, no webhook endpoint); retrying
         * won't help.
         */
        REJECTED,
        /** No 2xx after every attempt: 5xx, timeouts, connection failures. */
        FAILED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code monkeytown.webhooks.unverified.bytes}: body bytes held before their signature is checked. */
    void unverifiedBytes(Supplier<Number> held) {
        Gauge.builder("monkeytown.webhooks.unverified.bytes", held)
                .description("Bytes of webhook bodies held before their signature is checked")
                .baseUnit("bytes").register(registry);
    }

    void received(String event, Received outcome) {
        registry.counter(RECEIVED, "event", EventConsumers.metricTag(event), "outcome", outcome.tag()).increment();
    }

    void forwarded(String event, String consumer, Forwarded outcome) {
        registry.counter(FORWARDED, "event", EventConsumers.metricTag(event), "consumer", consumer, "outcome",
                outcome.tag()).increment();
    }
}
