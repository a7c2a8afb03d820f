package dev.monkeytown.github.testdouble;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request's way through the double, in a fixed order: classify it once; refuse it (outage, rate limits); check it
 * against GitHub's description; then carry out its {@link Fate} — apply it now, later or never, and answer it, late,
 * instead, or not at all — and account for it in the ledger and the quota.
 */
final class RequestPipeline {

    /**
     * A request as classified on arrival; every later stage reads this instead of deciding again. {@code token} is
     * the Authorization header (empty without one): clients sending the same one share its secondary limits.
     */
    record Exchange(DoubleRequest request, String rawPath, Optional<Routes.Match> match, boolean write, String token,
            Instant arrivedAt, CompletableFuture<Void> clientGone) {

        boolean graphQl() {
            return request.path().equals("/graphql");
        }

        /** The Git LFS API: validated by its handler; GitHub does not count it against the API's budgets. */
        boolean lfs() {
            return LfsApi.isLfsPath(request.path());
        }
    }

    /** An answer given instead of serving the request, and how the ledger counts it. */
    record Refused(DoubleResponse response, CallKind kind, Refusal reason) {
    }

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Routes routes;
    private final RestApiDescription restApi = new RestApiDescription();
    private final FaultPlan faults;
    private final ArmedFaults armed;
    private final PrimaryLimits primary;
    private final SecondaryLimiter secondary;
    private final DoubleClock clock;
    private final CallLedger ledger;
    private final Consumer<String> violations;
    private final ScheduledExecutorService later;

    RequestPipeline(Routes routes, FaultPlan faults, ArmedFaults armed, PrimaryLimits primary,
            SecondaryLimiter secondary, DoubleClock clock, CallLedger ledger, Consumer<String> violations,
            ScheduledExecutorService later) {
        this.routes = routes;
        this.faults = faults;
        this.armed = armed;
        this.primary = primary;
        this.secondary = secondary;
        this.clock = clock;
        this.ledger = ledger;
        this.violations = violations;
        this.later = later;
    }

    Outcome serve(IncomingRequest incoming) {
        Instant arrivedAt = Instant.now();
        JsonNode json = null;
        if (incoming.body().length > 0) {
            try {
                json = Json.MAPPER.readTree(incoming.body());
            } catch (IOException e) {
                violations.accept(incoming.method() + " " + incoming.rawPath() + ": body is not JSON");
                DoubleResponse problem = DoubleResponse.error(400, "Problems parsing JSON",
                        "https://docs.github.com/rest");
                return answer(incoming.method(), incoming.rawPath(), arrivedAt, problem, CallKind.COUNTED_READ,
                        Refusal.NONE);
            }
        }
        DoubleRequest request = new DoubleRequest(incoming.method(),
                URLDecoder.decode(incoming.rawPath(), StandardCharsets.UTF_8), query(incoming.rawQuery()),
                incoming.headers(), json);
        Optional<Routes.Match> match = routes.find(request.method(), request.path());
        boolean write = match.map(m -> m.route().write().test(request)).orElse(!request.method().equals("GET"));
        Exchange exchange = new Exchange(request, incoming.rawPath(), match, write,
                request.header("Authorization").orElse(""), arrivedAt, incoming.clientGone());
        Optional<Duration> tooManyInFlight = secondary.enter(exchange.token());
        try {
            faults.delay();
            Optional<Refused> refused = faults.refusal(primary.quota("core"), clock)
                    .or(() -> limited(exchange, tooManyInFlight));
            if (refused.isPresent()) {
                return refuse(exchange, refused.get());
            }
            Optional<DoubleResponse> invalid = invalid(exchange);
            if (invalid.isPresent()) {
                return served(exchange, invalid.get());
            }
            return carryOut(exchange, armed.take(exchange));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the double is closing
            return new Outcome.HangUp();
        } catch (RuntimeException e) {
            violations.accept("double failed on " + request.method() + " " + incoming.rawPath() + ": " + e);
            return answer(request.method(), incoming.rawPath(), arrivedAt,
                    DoubleResponse.error(500, "double failed: " + e, "https://docs.github.com/rest"),
                    CallKind.UNAVAILABLE, Refusal.NONE);
        } finally {
            secondary.leave(exchange.token());
        }
    }

    /**
     * The limits the client itself ran into, in GitHub's order: too many requests in flight, the resource's primary
     * budget spent, too many content-creating requests in the minute or the hour.
     */
    private Optional<Refused> limited(Exchange exchange, Optional<Duration> tooManyInFlight) {
        int secondaryStatus = secondary.limits().status();
        if (tooManyInFlight.isPresent()) {
            return Optional.of(secondaryRefusal(secondaryStatus, tooManyInFlight.get()));
        }
        Quota quota = quota(exchange);
        if (!exchange.request().path().equals("/rate_limit") && !exchange.lfs() && quota.exhausted()) {
            DoubleResponse answer = exchange.graphQl()
                    ? RateLimitAnswers.primaryGraphQl("RATE_LIMITED", quota.limit(), quota.reset(), clock)
                    : RateLimitAnswers.primaryRest(quota.limit(), quota.reset(), quota.resource(), clock);
            return Optional.of(new Refused(answer, CallKind.REJECTED, Refusal.PRIMARY_LIMIT));
        }
        if (exchange.write()) {
            return secondary.admitWrite(exchange.token(), exchange.arrivedAt())
                    .map(wait -> secondaryRefusal(secondaryStatus, wait));
        }
        return Optional.empty();
    }

    private static Refused secondaryRefusal(int status, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new Refused(RateLimitAnswers.secondary(status, seconds), CallKind.REJECTED, Refusal.SECONDARY_LIMIT);
    }

    /** What GitHub answers without looking further: no credentials, or a request its description does not allow. */
    private Optional<DoubleResponse> invalid(Exchange exchange) {
        DoubleRequest request = exchange.request();
        if (request.header("Authorization").isEmpty()) {
            violations.accept(request.method() + " " + request.path() + " without Authorization");
            return Optional.of(DoubleResponse.error(401, "Requires authentication", "https://docs.github.com/rest"));
        }
        if (exchange.graphQl() || exchange.lfs()) {
            return Optional.empty(); // validated by its handler (the GraphQL schema, git-lfs's batch API)
        }
        List<String> problems = restApi.violations(request);
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        problems.forEach(violations);
        return Optional.of(exchange.match().isEmpty()
                ? DoubleResponse.notFound()
                : DoubleResponse.error(422, "Invalid request.\n\n" + String.join("\n", problems),
                        "https://docs.github.com/rest"));
    }

    private Outcome carryOut(Exchange exchange, Fate fate) throws InterruptedException {
        DoubleResponse real = null;
        switch (fate.effect()) {
            case NOW -> real = handle(exchange);
            case LATER -> later.schedule(() -> applyLate(exchange), fate.effectDelay().toMillis(),
                    TimeUnit.MILLISECONDS);
            case NEVER -> {
            }
        }
        if (fate.answer() instanceof Fate.Served served) {
            hold(exchange, served.delay());
            return served(exchange, real);
        }
        if (fate.answer() instanceof Fate.Instead instead) {
            return instead.refused()
                    ? refuse(exchange, new Refused(instead.response().get(), CallKind.REJECTED, Refusal.INJECTED))
                    : served(exchange, instead.response().get());
        }
        hold(exchange, ((Fate.Silence) fate.answer()).hangUpAfter());
        // GitHub received it, so it counts; the client just never hears back
        quota(exchange).spend();
        ledger.record(new RecordedRequest(exchange.arrivedAt(), exchange.request().method(), exchange.rawPath(),
                naturalKind(exchange), 0, Refusal.NONE));
        return new Outcome.HangUp();
    }

    private DoubleResponse handle(Exchange exchange) {
        return exchange.match().map(m -> m.route().handler().handle(exchange.request(), m.matcher()))
                .orElseGet(DoubleResponse::notFound);
    }

    private void applyLate(Exchange exchange) {
        try {
            handle(exchange);
        } catch (RuntimeException e) {
            violations.accept("double failed applying " + exchange.request().method() + " " + exchange.rawPath()
                    + " late: " + e);
        }
    }

    /** An answer the request earned: ETag and 304 for reads, quota spent and reported. */
    private Outcome served(Exchange exchange, DoubleResponse response) {
        CallKind kind = naturalKind(exchange);
        DoubleRequest request = exchange.request();
        if (request.method().equals("GET") && response.status() == 200) {
            String etag = etag(response.body());
            response.headers().put("ETag", etag);
            if (request.header("If-None-Match").filter(etag::equals).isPresent()) {
                kind = CallKind.NOT_MODIFIED;
                response = new DoubleResponse(304, null, response.headers());
            }
        }
        Quota quota = quota(exchange);
        // 304s and GET /rate_limit are free on GitHub
        if (kind != CallKind.NOT_MODIFIED && !request.path().equals("/rate_limit") && !exchange.lfs()) {
            quota.spend();
        }
        if (!exchange.lfs()) {
            quota.headers(clock).forEach(response.headers()::putIfAbsent);
        }
        return answer(request.method(), exchange.rawPath(), exchange.arrivedAt(), response, kind, Refusal.NONE);
    }

    private Outcome refuse(Exchange exchange, Refused refused) {
        return answer(exchange.request().method(), exchange.rawPath(), exchange.arrivedAt(), refused.response(),
                refused.kind(), refused.reason());
    }

    private Outcome answer(String method, String rawPath, Instant arrivedAt, DoubleResponse response, CallKind kind,
            Refusal refusal) {
        ledger.record(new RecordedRequest(arrivedAt, method, rawPath, kind, response.status(), refusal));
        response.headers().put("Date", HTTP_DATE.format(clock.now()));
        response.headers().putIfAbsent("X-GitHub-Request-Id", requestId());
        response.headers().put("X-GitHub-Media-Type", "github.v3; format=json");
        return new Outcome.Reply(response);
    }

    private static CallKind naturalKind(Exchange exchange) {
        return exchange.write() ? CallKind.WRITE : CallKind.COUNTED_READ;
    }

    private Quota quota(Exchange exchange) {
        return primary.forPath(exchange.request().path());
    }

    /** GitHub's request ids look like {@code E2B5:17176:C8D909:165E039:6650BF08}. */
    static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("%04X:%X:%X:%X:%X", random.nextInt(0x10000), random.nextInt(0x100000),
                random.nextInt(0x1000000), random.nextInt(0x10000000), Instant.now().getEpochSecond());
    }

    /** Holds the request for {@code duration}, or until its client gives up and closes the connection. */
    private static void hold(Exchange exchange, Duration duration) throws InterruptedException {
        if (duration.isZero()) {
            return;
        }
        try {
            exchange.clientGone().get(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // held for the whole duration
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                params.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** GitHub sends weak ETags derived from the body; so does the double. */
    private static String etag(JsonNode body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.MAPPER.writeValueAsBytes(body));
            return "W/\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
