package dev.monkeytown.state.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;

import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;

/**
 * Judges a head read from the backend against the head the view holds, once, so the view only ever moves forward.
 * <p>
 * GitHub serves reads from replicas that may lag a write by a moment: right after our own commit a read can answer the
 * previous head, or even 404 right after the branch was created. Such answers are ignored. The same answers, kept up
 * for longer than {@code lagTolerance}, mean the branch really was deleted or reset: a {@link BranchAlarm}, never a
 * silent reset of the view (which would make the next commit recreate the branch or write over what was lost).
 */
final class HeadWatch {

    /** What a head read means. */
    enum Verdict {
        /** The view's head: nothing to do. */
        SAME,
        /** A descendant of the view's head (another replica wrote), or the first head this view sees: load it. */
        NEWER,
        /** No branch, and the view never saw one: a brand-new branch, to be created by the first commit. */
        NO_BRANCH_YET,
        /** An older head or a missing branch, seen for less than the lag tolerance: keep the view. */
        LAGGING
    }

    private static final int RECENT_HEADS = 256;

    private final BranchBackend backend;
    private final Duration lagTolerance;
    private final Clock clock;
    /** Heads this view has held, newest last: an answer naming one of them is a lagging read, no request needed. */
    private final LinkedHashSet<String> recent = new LinkedHashSet<>();
    private Disagreement disagreement;
    private BranchAlarm alarm;

    /** The backend first showed {@code shown} (null: no branch) instead of the view's {@code seen} at that moment. */
    private record Disagreement(BranchAlarm.Kind kind, String seen, String shown, long sinceNanos) {
    }

    HeadWatch(BranchBackend backend, Duration lagTolerance, Clock clock) {
        this.backend = backend;
        this.lagTolerance = lagTolerance;
        this.clock = clock;
    }

    synchronized Optional<BranchAlarm> alarm() {
        return Optional.ofNullable(alarm);
    }

    /**
     * What {@code shown} (empty: no branch) means for a view at {@code viewHead} (null: the view has seen no branch).
     * May ask the backend how the two commits are related; no lock is held meanwhile.
     *
     * @throws BranchAlarmException the backend has disagreed for longer than the lag tolerance, or shows a rewritten
     *         history
     */
    Verdict judge(String viewHead, Optional<String> shown) throws BackendException {
        String candidate = shown.orElse(null);
        if (viewHead == null && candidate == null && backend.existedBefore()) {
            // never seen by this process, but created before: deleted, not new
            return disagree(BranchAlarm.Kind.VANISHED, "a head this branch had", null);
        }
        if (Objects.equals(viewHead, candidate)) {
            agreed();
            return Verdict.SAME;
        }
        if (viewHead == null) {
            agreed();
            return candidate == null ? Verdict.NO_BRANCH_YET : Verdict.NEWER;
        }
        if (candidate == null) {
            return disagree(BranchAlarm.Kind.VANISHED, viewHead, null);
        }
        if (held(candidate)) {
            return disagree(BranchAlarm.Kind.WENT_BACKWARDS, viewHead, candidate);
        }
        // the common case first: another replica wrote, so the view's head is below the new one
        Optional<Boolean> ahead = backend.isAncestor(viewHead, candidate);
        if (ahead.orElse(false)) {
            agreed();
            return Verdict.NEWER;
        }
        Optional<Boolean> behind = backend.isAncestor(candidate, viewHead);
        if (behind.orElse(false)) {
            return disagree(BranchAlarm.Kind.WENT_BACKWARDS, viewHead, candidate);
        }
        if (ahead.isPresent() && behind.isPresent()) {
            // proven unrelated: the history was rewritten
            throw new BranchAlarmException(raise(new BranchAlarm(BranchAlarm.Kind.DIVERGED, viewHead, candidate,
                    clock.instant())));
        }
        // the backend cannot relate them yet (a commit its replicas do not have): not a head to build on, and an alarm
        // only if it stays so
        return disagree(BranchAlarm.Kind.DIVERGED, viewHead, candidate);
    }

    /** The view now holds {@code head}. */
    synchronized void installed(String head) {
        if (head == null) {
            return;
        }
        recent.remove(head);
        recent.add(head);
        if (recent.size() > RECENT_HEADS) {
            Iterator<String> oldest = recent.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private synchronized boolean held(String head) {
        return recent.contains(head);
    }

    private synchronized void agreed() {
        disagreement = null;
        alarm = null;
    }

    private synchronized BranchAlarm raise(BranchAlarm raised) {
        alarm = raised;
        return raised;
    }

    /**
     * The backend shows something that lag explains for a while; the same answer for longer than the tolerance is an
     * alarm. A lagging replica's answer changes as it catches up, a deleted or reset branch's does not.
     */
    private synchronized Verdict disagree(BranchAlarm.Kind kind, String seen, String shown)
            throws BranchAlarmException {
        long now = System.nanoTime();
        Disagreement current = disagreement;
        if (current == null || current.kind() != kind || !Objects.equals(current.shown(), shown)
                || !current.seen().equals(seen)) {
            disagreement = new Disagreement(kind, seen, shown, now);
            return Verdict.LAGGING;
        }
        if (alarm == null && Duration.ofNanos(now - current.sinceNanos()).compareTo(lagTolerance) < 0) {
            return Verdict.LAGGING;
        }
        if (alarm == null) {
            alarm = new BranchAlarm(kind, seen, shown,
                    clock.instant().minus(Duration.ofNanos(now - current.sinceNanos())));
        }
        throw new BranchAlarmException(alarm);
    }

}
