package dev.monkeytown.gateway.webhooks;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.classify.Classification;
import dev.monkeytown.gateway.classify.Classifier;
import dev.monkeytown.gateway.classify.Destination;
import dev.monkeytown.gateway.pipeline.AddressCharge;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.GatewayProblems;
import dev.monkeytown.gateway.webhooks.WebhookMetrics.Forwarded;
import dev.monkeytown.gateway.webhooks.WebhookMetrics.Received;
import dev.monkeytown.kit.requestid.RequestId;

/**
 * {@code POST /api/v1/webhooks/github}: GitHub's deliveries. A verified delivery is forwarded to its consumers and
 * answered once they answered: 202 when each took it, 503 when one did not within the forwarding deadline (well inside
 * GitHub's 10 s), so GitHub records a failed delivery that can be redelivered instead of a success nobody kept. The
 * body is read here ({@link UnverifiedBodies}: capped in size, in total, per address and in time) because this route
 * owns it; it is never logged, nor is the signature. Until the signature verifies, a delivery is an anonymous request
 * like any other (the rate limiter counted it against its address); once verified, and if its body is new, the address
 * gets that token back.
 * <p>
 * Only the body is signed, so a captured delivery replays under any fresh {@code X-GitHub-Delivery}: repeats are
 * recognised by the delivery id and by the body's digest.
 */
@ApplicationScoped
public class GitHubWebhookRoute {

    static final String PATH = Classifier.WEBHOOK_PATH;
    static final String EVENT_HEADER = "X-GitHub-Event";
    static final String DELIVERY_HEADER = "X-GitHub-Delivery";
    private static final String JSON = "application/json";
    /** GitHub's other "Content type" setting: the JSON URL-encoded in a {@code payload} field. */
    private static final String FORM = "application/x-www-form-urlencoded";

    // what GitHub sends: event names in snake_case, delivery ids as GUIDs; anything else never reaches a log or a consumer
    private static final Pattern EVENT_NAME = Pattern.compile("[a-z][a-z_]{0,63}");
    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");

    private final WebhookSignature signature;
    private final SeenDeliveries seen;
    /** SHA-256 digests of the bodies of recent deliveries, in the same bounded memory as their ids. */
    private final SeenDeliveries seenBodies;
    private final WebhookForwarder forwarder;
    private final WebhookMetrics metrics;
    private final long maxBody;
    private final UnverifiedBodies bodies;

    GitHubWebhookRoute(WebhookConfig config, WebhookForwarder forwarder, WebhookMetrics metrics) {
        this.signature = WebhookSignature.of(config.secrets().orElse(List.of()));
        this.seen = new SeenDeliveries(config.deliveries().capacity(), config.deliveries().ttl(), Clock.systemUTC());
        this.seenBodies = new SeenDeliveries(config.deliveries().capacity(), config.deliveries().ttl(),
                Clock.systemUTC());
        this.forwarder = forwarder;
        this.metrics = metrics;
        this.maxBody = config.maxBody().asLongValue();
        if (config.maxBuffered().asLongValue() < maxBody) {
            throw new IllegalStateException("monkeytown.gateway.webhooks.max-buffered (" + config.maxBuffered()
                    .asLongValue() + " bytes) must hold at least one body of max-body (" + maxBody + " bytes)");
        }
        this.bodies = new UnverifiedBodies(maxBody, config.maxBuffered().asLongValue(), config.bodyTimeout(),
                config.bodyStartTimeout());
        metrics.unverifiedBytes(bodies::held);
    }

    void install(@Observes Router router) {
        router.route().order(GatewayOrder.WEBHOOKS).handler(this::receive);
        if (!signature.isConfigured()) {
            Log.info("GitHub webhooks answer 503 until monkeytown.gateway.webhooks.secrets is set");
        }
    }

    private void receive(RoutingContext ctx) {
        Classification classified = Classification.of(ctx);
        if (classified.destination() != Destination.WEBHOOK) {
            ctx.next();
            return;
        }
        HttpServerRequest request = ctx.request();
        String event = request.getHeader(EVENT_HEADER);
        if (!classified.isWebhookDelivery()) {
            refuse(ctx, event, Received.METHOD_NOT_ALLOWED, 405, "GitHub webhooks are delivered with POST",
                    Map.of("Allow", "POST"));
            return;
        }
        if (!signature.isConfigured()) {
            refuse(ctx, event, Received.NOT_CONFIGURED, 503, "webhook secret not configured: set "
                    + "monkeytown.gateway.webhooks.secrets (MONKEYTOWN_GATEWAY_WEBHOOKS_SECRETS) to the hook's secret");
            return;
        }
        String delivery = request.getHeader(DELIVERY_HEADER);
        if (!wellFormed(event, EVENT_NAME) || !wellFormed(delivery, DELIVERY_ID)) {
            String header = !wellFormed(event, EVENT_NAME) ? EVENT_HEADER : DELIVERY_HEADER;
            String value = header.equals(EVENT_HEADER) ? event : delivery;
            refuse(ctx, event, Received.MISSING_HEADER, 400, value == null || value.isBlank()
                    ? header + " header is required (GitHub sends it with every delivery)"
                    : header + " header is not in the form GitHub sends");
            return;
        }
        String signed = request.getHeader(WebhookSignature.HEADER);
        if (signed == null || signed.isBlank()) {
            refuse(ctx, event, Received.MISSING_SIGNATURE, 401, WebhookSignature.HEADER
                    + " header is required: give the webhook a secret at GitHub (the same as the gateway's)");
            return;
        }
        String contentType = mediaType(request.getHeader("Content-Type"));
        if (!JSON.equals(contentType)) {
            refuse(ctx, event, Received.UNSUPPORTED_MEDIA_TYPE, 415, FORM.equals(contentType)
                    ? "this hook sends " + FORM + "; set its Content type to " + JSON + " in its settings at GitHub"
                    : "Content-Type must be " + JSON);
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && parsedLength(length) > maxBody) {
            tooLarge(ctx, event);
            return;
        }
        bodies.read(ctx.vertx(), request, classified.client(), outcome -> {
            if (outcome instanceof UnverifiedBodies.Received received) {
                verify(ctx, event, delivery, signed, received);
            } else if (outcome instanceof UnverifiedBodies.TooLarge) {
                tooLarge(ctx, event);
            } else if (outcome instanceof UnverifiedBodies.Busy) {
                refuse(ctx, event, Received.BUSY, 503, "the gateway holds as many unverified webhook body "
                        + "bytes as it takes, in all or from this address (monkeytown.gateway.webhooks.max-buffered, "
                        + "max-body per address); retry shortly", Map.of("Retry-After", "1"));
            } else if (outcome instanceof UnverifiedBodies.TooSlow) {
                refuse(ctx, event, Received.TOO_SLOW, 408, "the body did not start within "
                        + Math.max(1, bodies.startTimeout().toSeconds()) + " s or was not complete within "
                        + bodyTimeoutSeconds() + " s (monkeytown.gateway.webhooks.body-start-timeout, body-timeout)",
                        Map.of());
            } else {
                metrics.received(event, Received.ABORTED);
                Log.debugf("GitHub %s delivery aborted while its body was read", event);
            }
        });
    }

    private void verify(RoutingContext ctx, String event, String delivery, String signed,
            UnverifiedBodies.Received received) {
        Buffer body = received.body();
        // an HMAC over up to 25 MB (per secret) is too long for the event loop
        ctx.vertx().executeBlocking(() -> {
            byte[] bytes = body.getBytes();
            return signature.verify(bytes, signed) ? digest(bytes) : null;
        }, false).onComplete(result -> {
            received.reservation().release(); // verified or not, these bytes no longer count as anybody's
            if (result.failed()) {
                ctx.fail(result.cause());
            } else if (result.result() == null) {
                refuse(ctx, event, Received.BAD_SIGNATURE, 401, WebhookSignature.HEADER
                        + " does not match the body for any configured secret; check the hook's secret at GitHub");
            } else {
                accept(ctx, event, delivery, body, result.result());
            }
        });
    }

    private void accept(RoutingContext ctx, String event, String delivery, Buffer body, String digest) {
        boolean newBody = seenBodies.firstTime(digest);
        if (newBody) {
            // a replayed body proves nothing about its sender: its address keeps paying for it
            AddressCharge.of(ctx).ifPresent(AddressCharge::giveBack);
        }
        if (EventConsumers.PING.equals(event)) {
            metrics.received(event, Received.PONG);
            Log.infof("GitHub ping delivery %s: pong", delivery);
            respond(ctx, 200, receipt(event, delivery, List.of()).put("pong", true));
            return;
        }
        if (!seen.firstTime(delivery) || !newBody) {
            metrics.received(event, Received.DUPLICATE);
            Log.infof("GitHub %s delivery %s: duplicate (%s seen before), not forwarded again", event, delivery,
                    newBody ? "delivery id" : "body");
            respond(ctx, 200, receipt(event, delivery, List.of()).put("duplicate", true));
            return;
        }
        List<String> consumers = EventConsumers.of(event);
        metrics.received(event, Received.ACCEPTED);
        Log.infof("GitHub %s delivery %s: verified, forwarding to %s", event, delivery, consumers);
        // retries resume on SmallRye's timer threads: the answer goes back to the request's event loop
        Context loop = ctx.vertx().getOrCreateContext();
        forwarder.forward(new Delivery(event, delivery, body, ctx.get(RequestId.MDC_KEY)), consumers)
                .subscribe().with(outcomes -> loop.runOnContext(v -> answer(ctx, event, delivery, digest, consumers,
                        outcomes)));
    }

    /** 202 once every consumer took the delivery; else 503, and a redelivery is let in. */
    private void answer(RoutingContext ctx, String event, String delivery, String digest, List<String> consumers,
            List<Forwarded> outcomes) {
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < consumers.size(); i++) {
            if (outcomes.get(i) == Forwarded.FAILED || outcomes.get(i) == Forwarded.REJECTED) {
                missed.add(consumers.get(i));
            }
        }
        if (!missed.isEmpty()) {
            // let a redelivery from GitHub (automatic or the "Redeliver" button) through
            seen.forget(delivery);
            seenBodies.forget(digest);
        }
        if (ctx.response().closed() || ctx.response().ended()) {
            return; // GitHub gave up waiting; it records the delivery as failed either way
        }
        if (missed.isEmpty()) {
            respond(ctx, 202, receipt(event, delivery, consumers));
        } else {
            GatewayProblems.send(ctx, 503, "GitHub " + event + " delivery " + delivery + " was not taken by " + String
                    .join(", ", missed) + "; nothing was acknowledged, redeliver it from the hook's Recent "
                    + "Deliveries at GitHub", Map.of("Retry-After", "10"));
        }
    }

    /** SHA-256 of a verified body, hex: what recognises the same body under another delivery id. */
    private static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }

    private static JsonObject receipt(String event, String delivery, List<String> consumers) {
        return new JsonObject().put("delivery", delivery).put("event", event)
                .put("forwardedTo", new JsonArray(List.copyOf(consumers)));
    }

    private static void respond(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body.encode());
    }

    private void tooLarge(RoutingContext ctx, String event) {
        refuse(ctx, event, Received.TOO_LARGE, 413, "the body is larger than " + maxBody
                + " bytes (monkeytown.gateway.webhooks.max-body)", Map.of());
    }

    private long bodyTimeoutSeconds() {
        return Math.max(1, bodies.timeout().toSeconds());
    }

    private void refuse(RoutingContext ctx, String event, Received outcome, int status, String detail) {
        refuse(ctx, event, outcome, status, detail, Map.of());
    }

    /** Any body still unread (a refusal before or while it is read) is dropped and the connection then closed. */
    private void refuse(RoutingContext ctx, String event, Received outcome, int status, String detail,
            Map<String, String> headers) {
        record(ctx, event, outcome, status);
        GatewayProblems.send(ctx, status, detail, headers);
    }

    private void record(RoutingContext ctx, String event, Received outcome, int status) {
        metrics.received(event, outcome);
        // event and delivery only: a refused delivery's headers are unverified, so they are logged only when well-formed
        Log.infof("GitHub %s delivery %s refused with %d: %s", wellFormed(event, EVENT_NAME) ? event : "(malformed)",
                wellFormed(ctx.request().getHeader(DELIVERY_HEADER), DELIVERY_ID)
                        ? ctx.request().getHeader(DELIVERY_HEADER)
                        : "(malformed)",
                status, outcome.tag());
    }

    private static boolean wellFormed(String value, Pattern form) {
        return value != null && form.matcher(value).matches();
    }

    /** The media type without parameters, lower case; {@code application/json; charset=utf-8} is JSON. */
    static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static long parsedLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException malformed) {
            return Long.MAX_VALUE; // Vert.x refuses a malformed length before us; if not, it is no length we accept
        }
    }
}
