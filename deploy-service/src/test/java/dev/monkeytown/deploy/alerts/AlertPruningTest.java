package dev.monkeytown.deploy.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.memory.InMemoryRepository;

/**
 * Alert records do not pile up on the state branch for good: a record resolved longer ago than the retention is
 * removed, in the commit of a later notification (no commit of its own), while a firing alert and a recent resolve stay.
 */
class AlertPruningTest {

    static final Duration KEEP = Duration.ofDays(90);
    static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    private final InMemoryRepository store = new InMemoryRepository();
    private final GroupCommitStateBranch branch = new GroupCommitStateBranch("deploy-service",
            store.branch("deploy-service"), StateBranchOptions.defaults());
    private final MovableClock clock = new MovableClock(T0);
    private final AlertDesk desk = new AlertDesk(branch, IssueTracker.RECORDS_ONLY, 10,
            new AlertMetrics(new SimpleMeterRegistry()), AlertIssuesTest.JSON, KEEP, clock);

    @AfterEach
    void stop() {
        branch.close();
    }

    @Test
    void aRecordResolvedLongerAgoThanTheRetentionGoesWithTheNextNotification() throws IOException {
        desk.receive(List.of(firing("old1", T0), firing("burn", T0)));
        desk.receive(List.of(AlertIssuesTest.resolved("old1", T0, T0.plusSeconds(600))));
        // an alert firing for months, and one resolved recently, stay
        clock.set(T0.plus(KEEP).minus(Duration.ofDays(1)));
        desk.receive(List.of(firing("late", clock.instant())));
        desk.receive(List.of(AlertIssuesTest.resolved("late", clock.instant(), clock.instant().plusSeconds(60))));
        long commitsBefore = commits();

        clock.set(T0.plus(KEEP).plus(Duration.ofDays(1)));
        desk.receive(List.of(firing("new1", clock.instant())));

        assertFalse(present("old1"), "resolved 91 days ago: removed");
        assertTrue(present("burn"), "still firing: kept whatever its age");
        assertTrue(present("late"), "resolved 2 days ago: kept");
        assertTrue(present("new1"));
        assertEquals(commitsBefore + 1, commits(), "the removal rides on the notification's own commit");
    }

    @Test
    void aRecordChangedSinceIsNotRemoved() throws IOException {
        desk.receive(List.of(firing("back", T0)));
        desk.receive(List.of(AlertIssuesTest.resolved("back", T0, T0.plusSeconds(60))));
        clock.set(T0.plus(KEEP).plus(Duration.ofDays(1)));
        // the same alert fires again in the notification that prunes: its new episode is what is kept
        desk.receive(List.of(firing("back", clock.instant())));
        assertTrue(present("back"));
    }

    @Test
    void anUnreadableRecordIsLeftForAPersonToSee() throws IOException {
        branch.apply(new Change("a bad write", Actor.service("test"),
                workspace -> workspace.put(AlertRecord.path("bad"), "{not json"))).await().indefinitely();
        clock.set(T0.plus(KEEP).plus(Duration.ofDays(1)));
        desk.receive(List.of(firing("next", clock.instant())));
        assertTrue(present("bad"));
        assertTrue(present("next"));
    }

    private boolean present(String fingerprint) {
        return branch.read(AlertRecord.path(fingerprint)).await().indefinitely().isPresent();
    }

    private long commits() {
        return store.log("deploy-service").size();
    }

    private static AlertEvent firing(String fingerprint, Instant startsAt) {
        return new AlertEvent(fingerprint, AlertStatus.FIRING, Map.of("alertname", "BuildFailure"), Map.of(),
                startsAt, Optional.empty(), "");
    }

    /** A clock the test moves by months. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant to) {
            now = to;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
