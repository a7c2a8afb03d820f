package dev.monkeytown.github.testdouble;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A repository's refs as GitHub keeps them: writes move the primary (compare-and-swap), reads are served by replicas
 * that apply the same moves, in order, some time later. With no lag the two are the same.
 * <p>
 * Each move made while a lag is set is queued with the instant replicas see it; a read answers the value before the
 * first move replicas have not seen yet. A lag only delays moves made while it is set, so a test that turns it on
 * after seeding still reads its seed.
 * <p>
 * With {@code hideNewCommits} a commit that a lagged move made reachable for the first time is unknown to replicas
 * until that move is visible too: read by its id (a commit, contents at it, a compare) it is a 404, as GitHub answers
 * for a commit pushed a moment ago.
 */
final class ReplicatedRefs {

    /** A move replicas have not applied yet: the value they keep answering until {@code visibleAt}. */
    private record PendingMove(String before, Instant visibleAt) {
    }

    private final Map<String, String> primary = new HashMap<>();
    private final Map<String, Deque<PendingMove>> pending = new HashMap<>();
    /** Commits new to every ref when a lagged move made them reachable, and when replicas learn of them. */
    private final Map<String, Instant> unseenCommits = new HashMap<>();
    private final Supplier<Duration> lag;
    private final BooleanSupplier hideNewCommits;

    ReplicatedRefs(Supplier<Duration> lag, BooleanSupplier hideNewCommits) {
        this.lag = lag;
        this.hideNewCommits = hideNewCommits;
    }

    /** Whether replicas know the commit yet (see {@code hideNewCommits}). */
    synchronized boolean replicasKnow(String sha) {
        Instant visibleAt = unseenCommits.get(sha);
        if (visibleAt == null) {
            return true;
        }
        if (!visibleAt.isAfter(Instant.now())) {
            unseenCommits.remove(sha);
            return true;
        }
        return false;
    }

    synchronized Optional<String> primary(String ref) {
        return Optional.ofNullable(primary.get(ref));
    }

    synchronized Optional<String> replica(String ref) {
        Deque<PendingMove> moves = pending.get(ref);
        Instant now = Instant.now();
        while (moves != null && !moves.isEmpty() && !moves.peekFirst().visibleAt().isAfter(now)) {
            moves.removeFirst();
        }
        if (moves == null || moves.isEmpty()) {
            pending.remove(ref);
            return primary(ref);
        }
        return Optional.ofNullable(moves.peekFirst().before());
    }

    synchronized boolean create(String ref, String sha) {
        if (primary.containsKey(ref)) {
            return false;
        }
        set(ref, sha);
        return true;
    }

    synchronized boolean move(String ref, String expected, String sha) {
        if (!expected.equals(primary.get(ref))) {
            return false;
        }
        set(ref, sha);
        return true;
    }

    synchronized void force(String ref, String sha) {
        set(ref, sha);
    }

    synchronized void delete(String ref) {
        set(ref, null);
    }

    private void set(String ref, String sha) {
        Duration delay = lag.get();
        if (!delay.isZero()) {
            Instant visibleAt = Instant.now().plus(delay);
            pending.computeIfAbsent(ref, r -> new ArrayDeque<>())
                    .addLast(new PendingMove(primary.get(ref), visibleAt));
            if (sha != null && hideNewCommits.getAsBoolean() && !primary.containsValue(sha)) {
                unseenCommits.putIfAbsent(sha, visibleAt);
            }
        }
        if (sha == null) {
            primary.remove(ref);
        } else {
            primary.put(ref, sha);
        }
    }
}
