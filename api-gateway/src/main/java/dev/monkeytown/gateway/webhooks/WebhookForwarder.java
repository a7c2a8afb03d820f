package dev.monkeytown.gateway.webhooks;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

import dev.monkeytown.gateway.health.SuiteHealthConfig;
import dev.monkeytown.gateway.webhooks.WebhookMetrics.Forwarded;
import dev.monkeytown.kit.requestid.RequestId;
import dev.monkeytown.kit.security.InternalToken;

/**
 * Hands a verified delivery to each consuming service's {@code POST /internal/webhooks/github}, with the internal token
 * and GitHub's event and delivery headers, body untouched. Consumers are served independently: one that is down is
 * retried with exponential back-off and jitter, a bounded number of times, each attempt under a timeout (SmallRye Fault
 * Tolerance), without holding up the others, and all of it within one deadline per consumer (a SmallRye timeout around
 * its attempts): GitHub is answered only once every consumer answered, well within its own 10 s. One that does not answer an attempt
 * in time is not sent the delivery again: it may have taken it.
 */
@ApplicationScoped
@Startup // built at start, so a forwarding configuration with no room for a retry fails the start, not a delivery
class WebhookForwarder {

    static final String PATH = "/internal/webhooks/github";

    private final WebClient client;
    private final SuiteHealthConfig addresses;
    private final WebhookConfig.ForwardingConfig config;
    private final InternalToken token;
    private final WebhookMetrics metrics;
    private final TypedGuard<Uni<Forwarded>> guard;
    private final TypedGuard<Uni<Forwarded>> deadline;

    WebhookForwarder(Vertx vertx, SuiteHealthConfig addresses, WebhookConfig config, InternalToken token,
            WebhookMetrics metrics) {
        this.config = config.forward();
        WebClientOptions options = new WebClientOptions().setConnectTimeout(2_000).setFollowRedirects(false);
        // bounded on both counts: Vert.x's own default lets deliveries queue for a stalled consumer without limit
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(this.config.poolSize())
                .setMaxWaitQueueSize(this.config.maxWaiting());
        this.client = WebClient.wrap(vertx.createHttpClient(options, pool), options);
        this.addresses = addresses;
        this.token = token;
        this.metrics = metrics;
        this.guard = guard(this.config);
        this.deadline = TypedGuard.create(new TypeLiteral<Uni<Forwarded>>() {
        })
                .withDescription("webhook-forwarding-deadline")
                .withTimeout().duration(this.config.deadline().toMillis(), ChronoUnit.MILLIS).done()
                .build();
    }

    /**
     * Every attempt under the timeout; an attempt the consumer certainly did not take (5xx, 429, no connection, the pool
     * to it full) retried after a delay that doubles up to {@code max-backoff}, give or take a quarter, so retries of
     * many deliveries do not arrive together. An attempt that timed out is not retried: the consumer may have taken the
     * delivery and be slow to say so, and a second copy would be delivered twice.
     */
    static TypedGuard<Uni<Forwarded>> guard(WebhookConfig.ForwardingConfig config) {
        long initial = config.initialBackoff().toMillis();
        return TypedGuard.create(new TypeLiteral<Uni<Forwarded>>() {
        })
                .withDescription("webhook-forwarding") // the method tag of its ft.* metrics
                .withRetry()
                .maxRetries(config.attempts() - 1)
                // not timeouts, nor a connection that broke after the delivery was sent
                .retryOn(List.<Class<? extends Throwable>>of(ConsumerUnavailable.class, ConnectException.class,
                        ConnectionPoolTooBusyException.class))
                .delay(initial, ChronoUnit.MILLIS)
                .jitter(initial / 4, ChronoUnit.MILLIS)
                // no attempt starts that could outlast the deadline: one still running after GitHub was answered 503
                // could be taken by the consumer and then delivered again on GitHub's redelivery
                .maxDuration(retryWindow(config).toMillis(), ChronoUnit.MILLIS)
                .withExponentialBackoff().factor(2).maxDelay(config.maxBackoff().toMillis(), ChronoUnit.MILLIS).done()
                .done()
                .withTimeout().duration(config.timeout().toMillis(), ChronoUnit.MILLIS).done()
                .build();
    }

    /**
     * How long after the first attempt another may start: the deadline less one attempt's timeout. With retries
     * configured, that must leave room for the first delay at its longest (initial back-off plus a quarter of jitter).
     */
    static Duration retryWindow(WebhookConfig.ForwardingConfig config) {
        if (config.attempts() <= 1) {
            return config.deadline(); // no retry: nothing has to fit
        }
        Duration window = config.deadline().minus(config.timeout());
        Duration firstDelay = config.initialBackoff().plus(config.initialBackoff().dividedBy(4));
        if (window.compareTo(firstDelay) <= 0) {
            throw new IllegalStateException("monkeytown.gateway.webhooks.forward.deadline (" + config.deadline()
                    + ") must exceed forward.timeout (" + config.timeout() + ") by more than forward.initial-backoff ("
                    + config.initialBackoff() + ") and its jitter, or no retry could finish before GitHub is answered"
                    + " (or set forward.attempts=1)");
        }
        return window;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Forwards to every consumer; the list holds each one's final outcome, in the order of {@code consumers}. The
     * deadline is each consumer's own: one still trying when it passes counts as {@link Forwarded#FAILED}, while one
     * that took the delivery stays {@link Forwarded#DELIVERED} — it did, whatever the slow one does.
     */
    Uni<List<Forwarded>> forward(Delivery delivery, List<String> consumers) {
        if (consumers.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<Forwarded>> each = consumers.stream().map(service -> forwardTo(delivery, service)).toList();
        // every one ends in an outcome, never a failure
        return Uni.join().all(each).andCollectFailures();
    }

    private Uni<Forwarded> forwardTo(Delivery delivery, String service) {
        Optional<URI> base = Optional.ofNullable(addresses.services().get(service)).map(SuiteHealthConfig.Downstream::url);
        if (base.isEmpty()) {
            Log.warnf("GitHub %s delivery %s not forwarded to %s: no monkeytown.gateway.health.services.%s.url",
                    delivery.event(), delivery.id(), service, service);
            metrics.forwarded(delivery.event(), service, Forwarded.FAILED);
            return Uni.createFrom().item(Forwarded.FAILED);
        }
        String url = endpoint(base.get());
        Buffer body = Buffer.newInstance(delivery.body());
        Uni<Forwarded> attempts = guard.get(() -> request(url, delivery).sendBuffer(body)
                .map(response -> judge(response, delivery, service)))
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("GitHub %s delivery %s not forwarded to %s: %s", delivery.event(), delivery.id(), service,
                            describe(failure));
                    return Forwarded.FAILED;
                });
        return deadline.get(() -> attempts)
                .onFailure().recoverWithItem(late -> {
                    Log.warnf("GitHub %s delivery %s not forwarded to %s: no final answer within the %d ms deadline",
                            delivery.event(), delivery.id(), service, config.deadline().toMillis());
                    return Forwarded.FAILED;
                })
                .invoke(outcome -> metrics.forwarded(delivery.event(), service, outcome));
    }

    private HttpRequest<Buffer> request(String url, Delivery delivery) {
        HttpRequest<Buffer> request = client.postAbs(url)
                // the guard's timeout decides; this one frees the connection of an attempt the guard gave up on
                .timeout(config.timeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader(GitHubWebhookRoute.EVENT_HEADER, delivery.event())
                .putHeader(GitHubWebhookRoute.DELIVERY_HEADER, delivery.id());
        token.value().ifPresent(value -> request.putHeader(InternalToken.HEADER, value));
        if (delivery.requestId() != null) {
            request.putHeader(RequestId.HEADER, delivery.requestId());
        }
        return request;
    }

    /**
     * 5xx and 429 are worth another attempt (thrown, so the retry sees them); any other answer is final. A 404 too is a
     * refusal: the consumer has no webhook endpoint (an old version, a wrong URL) and recorded nothing.
     */
    private static Forwarded judge(HttpResponse<Buffer> response, Delivery delivery, String service) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            Log.debugf("GitHub %s delivery %s forwarded to %s: HTTP %d", delivery.event(), delivery.id(), service,
                    status);
            return Forwarded.DELIVERED;
        }
        if (status >= 500 || status == 429) {
            throw new ConsumerUnavailable(status);
        }
        Log.warnf("GitHub %s delivery %s refused by %s with HTTP %d (internal token, payload or endpoint?); not retried",
                delivery.event(), delivery.id(), service, status);
        return Forwarded.REJECTED;
    }

    static String endpoint(URI base) {
        String url = base.toString();
        return (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + PATH;
    }

    private String describe(Throwable failure) {
        Throwable last = failure;
        // Mutiny wraps the last failure in "Retries exhausted"; the consumer's answer is what a reader needs
        while (last.getCause() != null && last.getCause() != last) {
            last = last.getCause();
        }
        if (last instanceof ConsumerUnavailable unavailable) {
            return "last answer HTTP " + unavailable.status + " (after " + config.attempts() + " attempts at most)";
        }
        if (last instanceof TimeoutException || last instanceof java.util.concurrent.TimeoutException) {
            return "no answer within " + config.timeout().toMillis() + " ms; not sent again, it may have been taken";
        }
        return last.getClass().getSimpleName() + (last.getMessage() == null ? "" : ": " + last.getMessage());
    }

    /** A consumer answered 5xx or 429: it may take the delivery on a later attempt. */
    static final class ConsumerUnavailable extends RuntimeException {

        final int status;

        ConsumerUnavailable(int status) {
            super("HTTP " + status, null, false, false);
            this.status = status;
        }
    }
}
