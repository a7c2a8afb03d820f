package dev.monkeytown.deploy.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * At most {@code perHour} alert issues opened in any hour (a sliding window), so an alert storm cannot spend the write
 * budget the state store shares with it. Seeded from the issues recorded on the branch, so a restart does not reset it.
 * Not thread-safe: owned by the {@link AlertDesk}, which handles one delivery at a time.
 */
final class IssueBudget {

    private static final Duration HOUR = Duration.ofHours(1);

    private final int perHour;
    private final Deque<Instant> opened = new ArrayDeque<>();

    IssueBudget(int perHour) {
        this.perHour = perHour;
    }

    void seed(Collection<Instant> openedAt) {
        openedAt.stream().sorted().forEach(opened::addLast);
    }

    /** Takes a slot if the last hour has one left. */
    boolean tryTake(Instant now) {
        while (!opened.isEmpty() && !opened.peekFirst().isAfter(now.minus(HOUR))) {
            opened.removeFirst();
        }
        if (opened.size() >= perHour) {
            return false;
        }
        opened.addLast(now);
        return true;
    }

    /** Gives back the slot {@link #tryTake} just took: the issue was not opened (GitHub refused or did not answer). */
    void giveBack(Instant takenAt) {
        opened.removeLastOccurrence(takenAt);
    }
}
