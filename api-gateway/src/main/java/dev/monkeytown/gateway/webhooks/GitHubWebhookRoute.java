package dev.monkeytown.gateway.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.monkeytown.gateway.pipeline.ApiRoute;
import dev.monkeytown.gateway.pipeline.GatewayOrder;
import dev.monkeytown.gateway.pipeline.GatewayProblems;
import dev.monkeytown.gateway.webhooks.WebhookMetrics.Forwarded;
import dev.monkeytown.gateway.webhooks.WebhookMetrics.Received;
import dev.monkeytown.kit.requestid.RequestId;

/**
 * {@code POST /api/v1/webhooks/github}: GitHub's deliveries. A delivery is answered as soon as it is verified (GitHub
 * gives up after 10 seconds and marks the delivery failed), and forwarded to its consumers afterwards. The body is read
 * here, with its own size cap, because this route owns it; it is never logged, nor is the signature.
 */
@ApplicationScoped
public class GitHubWebhookRoute {

    static final String PATH = ApiRoute.GITHUB_WEBHOOKS.prefix();
    static final String EVENT_HEADER = "X-GitHub-Event";
    static final String DELIVERY_HEADER = "X-GitHub-Delivery";
    private static final String JSON = "application/json";
    /** GitHub's other "Content type" setting: the JSON URL-encoded in a {@code payload} field. */
    private static final String FORM = "application/x-www-form-urlencoded";

    // what GitHub sends: event names in snake_case, delivery ids as GUIDs; anything else never reaches a log or a consumer
    private static final Pattern EVENT_NAME = Pattern.compile("[a-z][a-z_]{0,63}");
    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");
    /** How long the rest of an oversize body is read and dropped before the connection is closed anyway. */
    private static final Duration LINGER = Duration.ofSeconds(5);

    private final WebhookSignature signature;
    private final SeenDeliveries seen;
    private final WebhookForwarder forwarder;
    private final WebhookMetrics metrics;
    private final long maxBody;

    GitHubWebhookRoute(WebhookConfig config, WebhookForwarder forwarder, WebhookMetrics metrics) {
        this.signature = WebhookSignature.of(config.secrets().orElse(List.of()));
        this.seen = new SeenDeliveries(config.deliveries().capacity(), config.deliveries().ttl(), Clock.systemUTC());
        this.forwarder = forwarder;
        this.metrics = metrics;
        this.maxBody = config.maxBody().asLongValue();
    }

    void install(@Observes Router router) {
        router.route(PATH).order(GatewayOrder.WEBHOOKS).handler(this::receive);
        if (!signature.isConfigured()) {
            Log.info("GitHub webhooks answer 503 until monkeytown.gateway.webhooks.secrets is set");
        }
    }

    private void receive(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String event = request.getHeader(EVENT_HEADER);
        if (request.method() != HttpMethod.POST) {
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
        readBody(ctx, event, body -> verify(ctx, event, delivery, signed, body));
    }

    /** Collects the body, refusing it with 413 the moment it passes the cap (chunked bodies have no length). */
    private void readBody(RoutingContext ctx, String event, Consumer<Buffer> then) {
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > maxBody) {
                refused[0] = true;
                tooLarge(ctx, event);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(failure -> {
            if (!refused[0]) {
                refused[0] = true;
                metrics.received(event, Received.ABORTED);
                Log.debugf("GitHub %s delivery aborted while its body was read: %s", event,
                        failure.getClass().getSimpleName());
            }
        });
        request.endHandler(end -> {
            if (!refused[0]) {
                then.accept(body);
            }
        });
    }

    private void verify(RoutingContext ctx, String event, String delivery, String signed, Buffer body) {
        // an HMAC over up to 25 MB (per secret) is too long for the event loop
        ctx.vertx().executeBlocking(() -> signature.verify(body.getBytes(), signed), false).onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
            } else if (!result.result()) {
                refuse(ctx, event, Received.BAD_SIGNATURE, 401, WebhookSignature.HEADER
                        + " does not match the body for any configured secret; check the hook's secret at GitHub");
            } else {
                accept(ctx, event, delivery, body);
            }
        });
    }

    private void accept(RoutingContext ctx, String event, String delivery, Buffer body) {
        if (EventConsumers.PING.equals(event)) {
            metrics.received(event, Received.PONG);
            Log.infof("GitHub ping delivery %s: pong", delivery);
            respond(ctx, 200, receipt(event, delivery, List.of()).put("pong", true));
            return;
        }
        if (!seen.firstTime(delivery)) {
            metrics.received(event, Received.DUPLICATE);
            Log.infof("GitHub %s delivery %s: duplicate, already forwarded", event, delivery);
            respond(ctx, 200, receipt(event, delivery, List.of()).put("duplicate", true));
            return;
        }
        List<String> consumers = EventConsumers.of(event);
        metrics.received(event, Received.ACCEPTED);
        Log.infof("GitHub %s delivery %s: accepted, forwarding to %s", event, delivery, consumers);
        respond(ctx, 202, receipt(event, delivery, consumers));
        forwarder.forward(new Delivery(event, delivery, body, ctx.get(RequestId.MDC_KEY)), consumers)
                .subscribe().with(outcomes -> {
                    if (outcomes.contains(Forwarded.FAILED)) {
                        // let a redelivery from GitHub (automatic or the "Redeliver" button) through
                        seen.forget(delivery);
                    }
                });
    }

    private static JsonObject receipt(String event, String delivery, List<String> consumers) {
        return new JsonObject().put("delivery", delivery).put("event", event)
                .put("forwardedTo", new JsonArray(List.copyOf(consumers)));
    }

    private static void respond(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body.encode());
    }

    private void tooLarge(RoutingContext ctx, String event) {
        HttpServerRequest request = ctx.request();
        // Lingering close: closing with the rest of the body unread would reset the connection, and the client would
        // see the reset instead of the 413. So the rest is read and dropped, for a bounded time, then the connection
        // closes (HTTP/1.x; an HTTP/2 stream just ends).
        Runnable close = () -> {
            if (request.version() != HttpVersion.HTTP_2) {
                request.connection().close();
            }
        };
        long linger = ctx.vertx().setTimer(LINGER.toMillis(), timer -> close.run());
        request.handler(dropped -> {
        });
        request.endHandler(end -> {
            ctx.vertx().cancelTimer(linger);
            close.run();
        });
        refuse(ctx, event, Received.TOO_LARGE, 413, "the body is larger than " + maxBody
                + " bytes (monkeytown.gateway.webhooks.max-body)", Map.of("Connection", "close"));
    }

    private void refuse(RoutingContext ctx, String event, Received outcome, int status, String detail) {
        refuse(ctx, event, outcome, status, detail, Map.of());
    }

    private void refuse(RoutingContext ctx, String event, Received outcome, int status, String detail,
            Map<String, String> headers) {
        metrics.received(event, outcome);
        // event and delivery only: a refused delivery's headers are unverified, so they are logged only when well-formed
        Log.infof("GitHub %s delivery %s refused with %d: %s", wellFormed(event, EVENT_NAME) ? event : "(malformed)",
                wellFormed(ctx.request().getHeader(DELIVERY_HEADER), DELIVERY_ID)
                        ? ctx.request().getHeader(DELIVERY_HEADER)
                        : "(malformed)",
                status, outcome.tag());
        GatewayProblems.send(ctx, status, detail, headers);
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
