package dev.monkeytown.github.testdouble;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Enforces {@link SecondaryLimits} per token. Tokens are told apart by the {@code Authorization} header, so several
 * clients (services, replicas) using one token share its counters, as they share them on GitHub. Windows slide: a
 * write counts against a window until that long after it was admitted. Refused writes do not count.
 */
final class SecondaryLimiter {

    private static final class TokenUse {
        int inFlight;
        final Deque<Instant> writes = new ArrayDeque<>();
    }

    /** When in flight requests end is unknown; GitHub's advice for a secondary limit without a hint is to wait. */
    private static final Duration CONCURRENCY_RETRY = Duration.ofSeconds(1);

    private final Map<String, TokenUse> tokens = new HashMap<>();
    private SecondaryLimits limits = SecondaryLimits.none();

    synchronized void limits(SecondaryLimits limits) {
        this.limits = limits;
    }

    synchronized SecondaryLimits limits() {
        return limits;
    }

    /** Counts a request in flight; a wait to suggest if that makes too many for the token. */
    synchronized Optional<Duration> enter(String token) {
        TokenUse use = tokens.computeIfAbsent(token, t -> new TokenUse());
        use.inFlight++;
        return use.inFlight > limits.concurrentRequests() ? Optional.of(CONCURRENCY_RETRY) : Optional.empty();
    }

    synchronized void leave(String token) {
        tokens.get(token).inFlight--;
    }

    /** Admits (and counts) a content-creating request, or says how long until the window that is full frees a slot. */
    synchronized Optional<Duration> admitWrite(String token, Instant now) {
        TokenUse use = tokens.computeIfAbsent(token, t -> new TokenUse());
        Duration longest = limits.perMinute().window().compareTo(limits.perHour().window()) > 0
                ? limits.perMinute().window()
                : limits.perHour().window();
        while (!use.writes.isEmpty() && !use.writes.peekFirst().plus(longest).isAfter(now)) {
            use.writes.removeFirst();
        }
        Optional<Duration> wait = full(use, limits.perMinute(), now).or(() -> full(use, limits.perHour(), now));
        if (wait.isEmpty()) {
            use.writes.addLast(now);
        }
        return wait;
    }

    /** If {@code rate}'s window is full, how long until enough writes leave it for one more. */
    private static Optional<Duration> full(TokenUse use, SecondaryLimits.WriteRate rate, Instant now) {
        Instant windowStart = now.minus(rate.window());
        List<Instant> inWindow = use.writes.stream().filter(w -> w.isAfter(windowStart)).toList();
        if (inWindow.size() < rate.writes()) {
            return Optional.empty();
        }
        if (rate.writes() == 0) {
            return Optional.of(rate.window());
        }
        Instant freesASlot = inWindow.get(inWindow.size() - rate.writes()).plus(rate.window());
        return Optional.of(Duration.between(now, freesASlot));
    }
}
