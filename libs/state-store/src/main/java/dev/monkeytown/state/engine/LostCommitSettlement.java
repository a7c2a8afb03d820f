package dev.monkeytown.state.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import dev.monkeytown.state.engine.BatchCommitter.Pause;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.CommitTrailers;
import dev.monkeytown.state.spi.History;

/**
 * Settles commits whose answer was lost, by identity: every attempt carries its batch id in a trailer, so it has
 * landed exactly when a commit with that id is on the branch between the attempt's base and the head.
 * <p>
 * "Not found" is final only when it cannot change any more: the head has moved past the attempt's base without it
 * (the host applies a commit only on its expected head), or the host's own request timeout has passed since the
 * request was sent with the head still at the base. A head that is older than the base, or no branch at all, is a
 * replica lagging the write: it proves nothing, so it is looked at again. Reads that lag past all of this are covered by
 * looking again before every re-run and on every later conflict, for as long as the batch is being committed.
 * Deadlines are on the monotonic clock.
 */
final class LostCommitSettlement {

    /** An attempt whose outcome is unknown, and when the host stops working on it ({@link System#nanoTime()}). */
    record Unsettled(Attempt attempt, long hostGivesUpNanos) {

        /** {@code sentAt} is no earlier than the request left; the host gives up {@code hostTimeout} after that. */
        static Unsettled of(Attempt attempt, Instant sentAt, Duration hostTimeout) {
            long elapsed = Math.max(0, Duration.between(sentAt, Instant.now()).toNanos());
            return new Unsettled(attempt, System.nanoTime() + Math.max(0, hostTimeout.toNanos() - elapsed));
        }
    }

    sealed interface Outcome {
        /** The attempt is on the branch as commit {@code commitId}. */
        record Landed(Attempt attempt, String commitId) implements Outcome {
        }

        /** None of the attempts is on the branch, and none can land any more. */
        record NotLanded() implements Outcome {
        }

        /** It could not be told in time; the batch must not be re-run blindly. */
        record Unknown(String reason) implements Outcome {
        }
    }

    /** What one look at the branch found: an outcome, or nothing yet (and whether the head looked stale). */
    private record Look(Optional<Outcome> outcome, boolean headLags) {

        static final Look NOTHING = new Look(Optional.empty(), false);
        static final Look LAGGING = new Look(Optional.empty(), true);
    }

    private static final Duration LOOK_AGAIN = Duration.ofMillis(500);

    private final BranchView view;
    private final StateBranchOptions options;
    private final Pause pause;

    LostCommitSettlement(BranchView view, StateBranchOptions options, Pause pause) {
        this.view = view;
        this.options = options;
        this.pause = pause;
    }

    Outcome settle(List<Unsettled> unsettled) {
        long giveUp = unsettled.stream().mapToLong(Unsettled::hostGivesUpNanos).max().orElseThrow()
                + options.unavailableWait().toNanos();
        Duration backoff = options.retryBackoff();
        while (true) {
            Optional<String> head;
            Look look;
            try {
                head = view.readHeadNow();
                look = look(head, unsettled);
            } catch (BackendException e) {
                if (!e.retryable() || System.nanoTime() - giveUp > 0) {
                    return new Outcome.Unknown("the branch could not be read to settle it: " + e.getMessage());
                }
                if (!pause.sleep(backoff)) {
                    return new Outcome.Unknown("the state branch is closing");
                }
                backoff = backoff.multipliedBy(2).compareTo(options.maxRetryBackoff()) > 0
                        ? options.maxRetryBackoff()
                        : backoff.multipliedBy(2);
                continue;
            }
            if (look.outcome().isPresent()) {
                return look.outcome().get();
            }
            long now = System.nanoTime();
            long until = look.headLags() ? giveUp : mayStillLandUntil(head, unsettled, now);
            if (until - now <= 0) {
                return look.headLags()
                        ? new Outcome.Unknown("the branch kept showing an older head than the commit was made on")
                        : new Outcome.NotLanded();
            }
            Duration left = Duration.ofNanos(until - now);
            if (!pause.sleep(left.compareTo(LOOK_AGAIN) < 0 ? left.plusMillis(1) : LOOK_AGAIN)) {
                return new Outcome.Unknown("the state branch is closing");
            }
        }
    }

    /**
     * Before anything is re-run on {@code head}: is one of the attempts already below it? Without this, a commit that
     * landed after its settlement gave up would have its changes applied a second time on top of it.
     */
    Optional<Outcome> lookFrom(Optional<String> head, List<Unsettled> unsettled) throws BackendException {
        return look(head, unsettled).outcome();
    }

    /** Looks for each attempt's batch id between the head and that attempt's base, newest attempt first. */
    private Look look(Optional<String> head, List<Unsettled> unsettled) throws BackendException {
        if (head.isEmpty()) {
            // no branch: a replica lagging a branch creation, or a deletion the view will raise an alarm for
            return unsettled.stream().anyMatch(u -> u.attempt().base().headId().isPresent())
                    ? Look.LAGGING
                    : Look.NOTHING;
        }
        List<Unsettled> newestFirst = new ArrayList<>(unsettled);
        Collections.reverse(newestFirst);
        boolean lags = false;
        for (Unsettled candidate : newestFirst) {
            Attempt attempt = candidate.attempt();
            Optional<String> base = attempt.base().headId();
            if (base.equals(head)) {
                continue;
            }
            History history = view.historyNow(head.get(), base, options.historyWalk());
            for (History.Commit commit : history.commits()) {
                if (CommitTrailers.carriesBatch(commit.message(), attempt.batchId())) {
                    return new Look(Optional.of(new Outcome.Landed(attempt, commit.id())), false);
                }
            }
            if (history.reachedBase()) {
                continue;
            }
            if (base.isPresent() && view.isAncestorNow(head.get(), base.get()).orElse(false)) {
                lags = true; // the head is older than the attempt's base: a lagging read
                continue;
            }
            return new Look(Optional.of(new Outcome.Unknown("more than " + options.historyWalk()
                    + " commits since the base of a commit whose answer was lost, or the history was rewritten")),
                    false);
        }
        return lags ? Look.LAGGING : Look.NOTHING;
    }

    /**
     * Until when one of the attempts could still land ({@link System#nanoTime()}): the head is still its base and the
     * host may still be working on the request; {@code now} if none can.
     */
    private static long mayStillLandUntil(Optional<String> head, List<Unsettled> unsettled, long now) {
        long until = now;
        for (Unsettled candidate : unsettled) {
            if (candidate.attempt().base().headId().equals(head) && candidate.hostGivesUpNanos() - until > 0) {
                until = candidate.hostGivesUpNanos();
            }
        }
        return until;
    }
}
