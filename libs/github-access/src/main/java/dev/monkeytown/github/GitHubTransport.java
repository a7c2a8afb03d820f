package dev.monkeytown.github;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import dev.monkeytown.github.GitHubMetrics.Outcome;

/**
 * The one way out to GitHub for a token: hub4j's REST calls (through {@link TransportConnector}) and our GraphQL and
 * conditional reads all pass here, so pacing, back-off, caching and metrics cannot be bypassed.
 * <p>
 * Per request: wait for the back-off gate of its rate-limit resource (nothing is sent inside a window GitHub asked
 * for), take a write slot if it creates content, revalidate reads with their ETag (unless the caller said the object
 * is immutable) and share identical reads in flight, then interpret the answer: a rate-limit refusal
 * ({@link RateLimitAnswer}: 403/429, or a GraphQL {@code RATE_LIMITED}) closes that resource's gate and the request is
 * retried after it (GitHub did not process it); outages are retried with growing pauses; after
 * {@code unavailableAfter} the caller gets {@link GitHubUnavailableException}. A write is retried only when it surely
 * never took effect (connection refused, rate-limit refusal): a write whose answer was lost or was a 5xx goes back to
 * the caller, who knows how to check.
 */
final class GitHubTransport {

    private static final Logger LOG = Logger.getLogger(GitHubTransport.class);
    /** Headers java.net.http sets itself or refuses; compression is left off so bodies are plain. */
    private static final Set<String> SKIPPED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "accept-encoding");

    private final HttpClient http;
    private final GitHubAccessOptions options;
    private final BackoffGates gates;
    private final WritePacer pacer;
    private final ConditionalCache cache;
    private final SingleFlight reads = new SingleFlight();
    private final GitHubMetrics metrics;
    /** Why the last exchange got no usable answer; null once one did. Read by readiness, never waited on. */
    private final AtomicReference<Trouble> trouble = new AtomicReference<>();

    private record Trouble(Instant since, String reason) {
    }

    GitHubTransport(GitHubAccessOptions options, io.micrometer.core.instrument.MeterRegistry registry) {
        this.options = options;
        this.http = HttpClient.newBuilder().connectTimeout(options.requestTimeout()).build();
        this.pacer = new WritePacer(options.pacing());
        this.cache = new ConditionalCache(options.cacheMaxBytes());
        this.metrics = new GitHubMetrics(registry, pacer::hourlyRemaining);
        this.gates = new BackoffGates(options.graphqlUrl(), metrics::backoff);
    }

    /** Sends a request; a GET is revalidated with its ETag and its answer kept for the next revalidation. */
    ApiResponse send(ApiRequest request) throws IOException {
        return send(request, true);
    }

    /**
     * Sends a GET of something that never changes (a Git object by its id): no revalidation, and its answer is not
     * kept in the ETag cache, where it would only duplicate the caller's own copy.
     */
    ApiResponse sendImmutable(ApiRequest request) throws IOException {
        return send(request, false);
    }

    private ApiResponse send(ApiRequest request, boolean revalidate) throws IOException {
        Deadline deadline = Deadline.in(options.unavailableAfter());
        try {
            if (request.kind() == RequestKind.READ && request.method().equals("GET")) {
                return reads.run(request.readKey(),
                        () -> revalidate ? revalidating(request, deadline) : sendUntil(request, deadline),
                        metrics::coalesced);
            }
            return sendUntil(request, deadline);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubUnavailableException("interrupted while waiting for GitHub: " + request, e);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private ApiResponse revalidating(ApiRequest request, Deadline deadline) throws IOException, InterruptedException {
        Optional<ConditionalCache.Entry> cached = cache.get(request.readKey());
        ApiRequest conditional = cached.map(c -> withHeader(request, "If-None-Match", c.etag())).orElse(request);
        ApiResponse response = sendUntil(conditional, deadline);
        if (response.status() == 304 && cached.isPresent()) {
            ApiResponse kept = cached.get().response();
            return new ApiResponse(200, kept.headers(), kept.body(), true);
        }
        Optional<String> etag = response.header("ETag");
        if (response.status() == 200 && etag.isPresent()) {
            cache.put(request.readKey(), etag.get(), response);
        }
        return response;
    }

    private ApiResponse sendUntil(ApiRequest request, Deadline deadline) throws IOException, InterruptedException {
        Duration pause = Duration.ofMillis(100);
        String resource = gates.resourceOf(request);
        BackoffGate gate = gates.gate(resource);
        boolean graphql = resource.equals(BackoffGates.GRAPHQL);
        while (true) {
            boolean write = request.kind() == RequestKind.WRITE;
            if (write) {
                pacer.acquire(deadline, gate, request);
            } else {
                gate.awaitOpen(deadline, request);
            }
            ApiResponse response;
            try {
                response = exchange(request);
            } catch (ConnectException | HttpConnectTimeoutException e) {
                // nothing reached GitHub, so even a write may be retried
                metrics.request(request.kind(), Outcome.UNREACHABLE);
                troubled("cannot connect: " + e);
                pause = pauseOrGiveUp(request, deadline, pause, e);
                continue;
            } catch (IOException e) {
                metrics.request(request.kind(), Outcome.UNREACHABLE);
                troubled("connection failed: " + e);
                if (write) {
                    // the write may have been applied; only the caller can tell (e.g. by re-reading the head)
                    throw new GitHubUnavailableException("GitHub connection failed during " + request, e, true);
                }
                pause = pauseOrGiveUp(request, deadline, pause, e);
                continue;
            } finally {
                if (write) {
                    pacer.release();
                }
            }
            Optional<RateLimitAnswer> limit = RateLimitAnswer.of(response, resource, graphql);
            if (limit.isPresent() && limit.get().refused()) {
                metrics.request(request.kind(), Outcome.RATE_LIMITED);
                metrics.quota(response, false);
                LOG.warnf("GitHub rate limit on %s (status %d, resource %s): pausing that resource for %d s",
                        request, response.status(), limit.get().resource(), limit.get().pause().toSeconds());
                closeGates(limit.get(), resource);
                continue;
            }
            if (graphql && !write && GraphQlResult.gaveUp(response).isPresent()) {
                // GitHub gave this query up (its 10 s): asking it again gives the same answer; the caller asks less
                metrics.request(request.kind(), Outcome.SERVER_ERROR);
                return response;
            }
            // a write answered 5xx may still have been applied: it goes back to the caller, who can check
            if (response.status() == 502 || response.status() == 503 || response.status() == 504) {
                troubled("GitHub answered HTTP " + response.status());
            } else {
                trouble.set(null);
            }
            if (!write && (response.status() == 502 || response.status() == 503 || response.status() == 504)) {
                metrics.request(request.kind(), Outcome.SERVER_ERROR);
                pause = pauseOrGiveUp(request, deadline, pause, null);
                continue;
            }
            metrics.request(request.kind(), outcome(response.status()));
            metrics.quota(response, response.status() != 304);
            // spent the last of the quota: hold that resource until it resets rather than collecting refusals
            limit.ifPresent(spent -> closeGates(spent, resource));
            return response;
        }
    }

    /**
     * What is wrong with GitHub right now as far as this client knows, without asking: the last exchange got no usable
     * answer, or GitHub asked to wait (core or GraphQL, which the state store uses). Empty when nothing is known wrong.
     */
    Optional<String> impairment() {
        Trouble current = trouble.get();
        if (current != null) {
            return Optional.of("GitHub unreachable since " + current.since() + ": " + current.reason());
        }
        for (String resource : List.of(BackoffGates.CORE, BackoffGates.GRAPHQL)) {
            Duration left = gates.gate(resource).remaining();
            if (!left.isZero()) {
                return Optional.of("GitHub asked to wait " + left.toSeconds() + " s more (" + resource
                        + " rate limit)");
            }
        }
        return Optional.empty();
    }

    private void troubled(String reason) {
        trouble.updateAndGet(old -> old != null
                ? new Trouble(old.since(), reason)
                : new Trouble(Instant.now(), reason));
    }

    /**
     * Closes the gate GitHub named, and the request's own if that differs (a resource we do not map requests to): the
     * refused request must wait too, or it would be repeated at once.
     */
    private void closeGates(RateLimitAnswer limit, String requestResource) {
        gates.gate(limit.resource()).closeFor(limit.pause());
        if (!limit.resource().equals(requestResource)) {
            gates.gate(requestResource).closeFor(limit.pause());
        }
    }

    private Duration pauseOrGiveUp(ApiRequest request, Deadline deadline, Duration pause, Exception cause)
            throws InterruptedException {
        if (deadline.isBefore(System.nanoTime() + pause.toNanos())) {
            throw new GitHubUnavailableException("GitHub unreachable within " + options.unavailableAfter() + " for "
                    + request, cause);
        }
        Thread.sleep(pause.toMillis());
        Duration next = pause.multipliedBy(2);
        return next.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : next;
    }

    private static Outcome outcome(int status) {
        if (status == 304) {
            return Outcome.NOT_MODIFIED;
        }
        return status >= 500 ? Outcome.SERVER_ERROR : status >= 400 ? Outcome.CLIENT_ERROR : Outcome.OK;
    }

    private ApiResponse exchange(ApiRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(options.requestTimeout())
                .method(request.method(), request.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((name, values) -> {
            if (!SKIPPED.contains(name.toLowerCase())) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(response.headers().map());
        return new ApiResponse(response.statusCode(), headers, response.body(), false);
    }

    private static ApiRequest withHeader(ApiRequest request, String name, String value) {
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.put(name, List.of(value));
        return new ApiRequest(request.method(), request.uri(), headers, request.body(), request.kind());
    }
}
