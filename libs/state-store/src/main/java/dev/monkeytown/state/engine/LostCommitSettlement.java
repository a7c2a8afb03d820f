package dev.monkeytown.state.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * request was sent with the head still at the base. Before that, it waits and looks again; reads that lag the write
 * are covered by looking again on every later conflict, for as long as the batch is being committed.
 */
final class LostCommitSettlement {

    /** An attempt whose outcome is unknown, and when its request left. */
    record Unsettled(Attempt attempt, Instant sentAt) {
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
        Instant giveUp = unsettled.stream().map(u -> u.sentAt().plus(options.hostRequestTimeout()))
                .max(Instant::compareTo).orElseThrow().plus(options.unavailableWait());
        Duration backoff = options.retryBackoff();
        while (true) {
            Optional<String> head;
            try {
                head = view.readHeadNow();
                Optional<Outcome> found = look(head, unsettled);
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (BackendException e) {
                if (!e.retryable() || Instant.now().isAfter(giveUp)) {
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
            Optional<Instant> stillPossibleUntil = mayStillLandUntil(head, unsettled);
            if (stillPossibleUntil.isEmpty()) {
                return new Outcome.NotLanded();
            }
            Duration left = Duration.between(Instant.now(), stillPossibleUntil.get());
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
        return look(head, unsettled);
    }

    /** Looks for each attempt's batch id between the head and that attempt's base, newest attempt first. */
    private Optional<Outcome> look(Optional<String> head, List<Unsettled> unsettled) throws BackendException {
        if (head.isEmpty()) {
            return Optional.empty();
        }
        List<Unsettled> newestFirst = new ArrayList<>(unsettled);
        java.util.Collections.reverse(newestFirst);
        for (Unsettled candidate : newestFirst) {
            Attempt attempt = candidate.attempt();
            History history = view.historyNow(head.get(), attempt.base().headId(), options.historyWalk());
            for (History.Commit commit : history.commits()) {
                if (CommitTrailers.batchId(commit.message()).filter(attempt.batchId()::equals).isPresent()) {
                    return Optional.of(new Outcome.Landed(attempt, commit.id()));
                }
            }
            if (!history.reachedBase()) {
                return Optional.of(new Outcome.Unknown("more than " + options.historyWalk()
                        + " commits since the base of a commit whose answer was lost, or the history was rewritten"));
            }
        }
        return Optional.empty();
    }

    /**
     * Until when one of the attempts could still land: the head is still its base and the host may still be working
     * on the request.
     */
    private Optional<Instant> mayStillLandUntil(Optional<String> head, List<Unsettled> unsettled) {
        Instant now = Instant.now();
        return unsettled.stream()
                .filter(u -> u.attempt().base().headId().equals(head))
                .map(u -> u.sentAt().plus(options.hostRequestTimeout()))
                .filter(now::isBefore)
                .max(Instant::compareTo);
    }
}
