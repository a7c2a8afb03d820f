package dev.monkeytown.gateway.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the gateway receives GitHub webhooks and hands them on. */
@ConfigMapping(prefix = "monkeytown.gateway.webhooks")
public interface WebhookConfig {

    /**
     * The secrets a delivery's {@code X-Hub-Signature-256} may be made with: the hook's current secret, plus the next
     * (or previous) one while a rotation is under way. Comma-separated in one variable
     * ({@code MONKEYTOWN_GATEWAY_WEBHOOKS_SECRETS}), from a Kubernetes Secret. None configured means the endpoint
     * answers 503: an unsigned delivery is never accepted.
     */
    Optional<List<String>> secrets();

    /** Largest body accepted (413 above). GitHub caps payloads at 25 MB and drops larger events itself. */
    @WithDefault("25M")
    MemorySize maxBody();

    /**
     * Most bytes of webhook bodies held at once before their signature is checked (bytes anybody may send), reserved as
     * they arrive; one client address holds at most {@link #maxBody()} of them. A delivery that does not fit is answered
     * 503 with {@code Retry-After}, the rest of it unread. At least {@link #maxBody()}.
     */
    @WithDefault("100M")
    MemorySize maxBuffered();

    /** Longest time a delivery's body may take to arrive; then 408. GitHub sends it at once. */
    @WithDefault("10s")
    Duration bodyTimeout();

    /** Longest wait for a delivery's first body bytes; then 408. GitHub sends the body with the headers. */
    @WithDefault("2s")
    Duration bodyStartTimeout();

    SeenDeliveriesConfig deliveries();

    ForwardingConfig forward();

    interface SeenDeliveriesConfig {

        /** Most delivery ids remembered for duplicate detection; the oldest is forgotten first. */
        @WithDefault("10000")
        int capacity();

        /** How long a delivery id is remembered. GitHub's own redelivery window is 3 days, automatic retries are fast. */
        @WithDefault("24h")
        Duration ttl();
    }

    interface ForwardingConfig {

        /**
         * Attempts per consumer, the first included, within {@link #deadline()}; a consumer still failing after them
         * is logged, and GitHub is answered 503. Only attempts the consumer certainly did not take are repeated (5xx,
         * 429, no connection), never one that timed out.
         */
        @WithDefault("3")
        int attempts();

        /** Wait before the first retry; doubles (with jitter) up to {@link #maxBackoff()}. */
        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("1s")
        Duration maxBackoff();

        /** Longest wait for one consumer's answer to one attempt; then it has failed and is not repeated. */
        @WithDefault("3s")
        Duration timeout();

        /**
         * Connections to each consumer. A delivery holds one for up to {@link #timeout()}, so a consumer that stalls
         * holds at most this many deliveries in flight.
         */
        @WithDefault("8")
        int poolSize();

        /**
         * Deliveries that may wait for a connection to one consumer when all {@link #poolSize()} are in use; one more
         * is not sent (nor retried after a back-off, if the pool is still full) and GitHub is answered 503. Every
         * waiting delivery holds its body (up to 25 MB): an unbounded queue behind a stalled consumer would fill the
         * heap.
         */
        @WithDefault("16")
        int maxWaiting();

        /**
         * Longest time from a verified delivery to GitHub's answer, every consumer's attempts included. GitHub gives
         * up on a delivery after 10 s; past this deadline it is answered 503, recorded as failed and can be redelivered.
         * Each consumer has its own: the one still trying counts as failed, one that took the delivery as delivered.
         */
        @WithDefault("8s")
        Duration deadline();
    }
}
