package dev.monkeytown.github;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the client spends, as Micrometer meters. Tags are closed sets (kind, outcome, resource), never ids or paths.
 * <ul>
 * <li>{@code monkeytown.github.requests{kind=read|write, outcome=ok|not_modified|client_error|server_error|rate_limited|unreachable}}:
 * the 304 share is {@code outcome=not_modified} over all reads.</li>
 * <li>{@code monkeytown.github.reads.coalesced}: reads answered by another caller's identical request in flight.</li>
 * <li>{@code monkeytown.github.ratelimit.remaining{resource}}: primary quota left, as GitHub last reported it.</li>
 * <li>{@code monkeytown.github.ratelimit.exhaustion.forecast{resource}}: seconds until that quota runs out at the rate
 * of the last ten minutes (+Inf when idle).</li>
 * <li>{@code monkeytown.github.writes.hourly.remaining}, {@code monkeytown.github.backoff.seconds{resource}}.</li>
 * </ul>
 */
final class GitHubMetrics {

    enum Outcome {
        OK, NOT_MODIFIED, CLIENT_ERROR, SERVER_ERROR, RATE_LIMITED, UNREACHABLE;

        String tag() {
            return name().toLowerCase();
        }
    }

    private static final long RATE_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final MeterRegistry registry;
    private final Counter coalesced;
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    /** Quota state of one GitHub rate-limit resource. */
    private static final class Resource {
        volatile double remaining = Double.NaN;
        final Deque<Long> spent = new ArrayDeque<>();

        synchronized void spend(long now) {
            spent.addLast(now);
            while (!spent.isEmpty() && spent.peekFirst() < now - RATE_WINDOW_NANOS) {
                spent.removeFirst();
            }
        }

        synchronized double forecastSeconds(long now) {
            while (!spent.isEmpty() && spent.peekFirst() < now - RATE_WINDOW_NANOS) {
                spent.removeFirst();
            }
            if (spent.isEmpty() || Double.isNaN(remaining)) {
                return Double.POSITIVE_INFINITY;
            }
            double perSecond = spent.size() / (RATE_WINDOW_NANOS / 1e9);
            return remaining / perSecond;
        }
    }

    GitHubMetrics(MeterRegistry registry, Supplier<Number> hourlyWritesRemaining) {
        this.registry = registry;
        this.coalesced = Counter.builder("monkeytown.github.reads.coalesced")
                .description("Reads that shared an identical request already in flight").register(registry);
        Gauge.builder("monkeytown.github.writes.hourly.remaining", hourlyWritesRemaining)
                .description("Content-creating requests left in this hour's pacing budget").register(registry);
    }

    /** Publishes the window of one rate-limit resource's back-off gate. */
    void backoff(String resource, BackoffGate gate) {
        Gauge.builder("monkeytown.github.backoff.seconds", gate, g -> g.remaining().toMillis() / 1000.0)
                .tag("resource", resource).description("Seconds left in the window GitHub asked us to wait")
                .register(registry);
    }

    void request(RequestKind kind, Outcome outcome) {
        Counter.builder("monkeytown.github.requests").description("Requests sent to GitHub")
                .tags("kind", kind.tag(), "outcome", outcome.tag()).register(registry).increment();
    }

    void coalesced() {
        coalesced.increment();
    }

    /** Records the quota headers of a response; {@code counted} says whether it cost quota (a 304 does not). */
    void quota(ApiResponse response, boolean counted) {
        String name = response.header("x-ratelimit-resource").orElse("core");
        Resource resource = resources.computeIfAbsent(name, this::register);
        response.header("x-ratelimit-remaining").ifPresent(r -> resource.remaining = Double.parseDouble(r));
        if (counted) {
            resource.spend(System.nanoTime());
        }
    }

    private Resource register(String name) {
        Resource resource = new Resource();
        Gauge.builder("monkeytown.github.ratelimit.remaining", resource, r -> r.remaining).tag("resource", name)
                .description("Primary rate-limit quota left, as last reported by GitHub").register(registry);
        Gauge.builder("monkeytown.github.ratelimit.exhaustion.forecast", resource,
                r -> r.forecastSeconds(System.nanoTime())).tag("resource", name).baseUnit("seconds")
                .description("Seconds until the hourly quota runs out at the last ten minutes' rate")
                .register(registry);
        return resource;
    }
}
