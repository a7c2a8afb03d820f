package dev.monkeytown.deploy.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.monkeytown.deploy.alerts.AlertRecord.Effect;
import dev.monkeytown.deploy.alerts.AlertRules.Decision;

class AlertRulesTest {

    static final Instant T1 = Instant.parse("2026-12-06T10:00:00Z");
    static final Instant T2 = Instant.parse("2026-12-06T11:00:00Z");
    static final Instant T3 = Instant.parse("2026-12-06T12:00:00Z");
    static final IssueRef ISSUE = new IssueRef(7, "https://github.com/acme/town/issues/7", T1);

    static AlertEvent firing(Instant startsAt) {
        return new AlertEvent("abc123", AlertStatus.FIRING, Map.of("alertname", "SiteDown", "severity", "critical"),
                Map.of("summary", "down"), startsAt, Optional.empty(), "http://prometheus/graph");
    }

    static AlertEvent resolved(Instant startsAt, Instant endsAt) {
        return new AlertEvent("abc123", AlertStatus.RESOLVED, Map.of("alertname", "SiteDown"), Map.of(), startsAt,
                Optional.of(endsAt), "");
    }

    static Optional<AlertRecord> after(Optional<AlertRecord> current, AlertEvent event, Effect effect) {
        return Optional.of(AlertRecord.next(current, event, effect, T3));
    }

    @Test
    void aFirstFiringOpensAnIssueOrIsRecordedLocally() {
        assertInstanceOf(Decision.Open.class, AlertRules.decide(Optional.empty(), firing(T1), true));
        assertInstanceOf(Decision.RecordOnly.class, AlertRules.decide(Optional.empty(), firing(T1), false));
    }

    @Test
    void aReSentFiringChangesNothing() {
        Optional<AlertRecord> open = after(Optional.empty(), firing(T1), new Effect.Tracked(ISSUE));
        assertInstanceOf(Decision.Nothing.class, AlertRules.decide(open, firing(T1), true));
        Optional<AlertRecord> local = after(Optional.empty(), firing(T1), new Effect.None());
        assertInstanceOf(Decision.Nothing.class, AlertRules.decide(local, firing(T1), false));
    }

    @Test
    void aResolveClosesTheEpisodesIssueOnceAndIsRecorded() {
        Optional<AlertRecord> open = after(Optional.empty(), firing(T1), new Effect.Tracked(ISSUE));
        Decision decision = AlertRules.decide(open, resolved(T1, T2), true);
        assertEquals(new Decision.Close(Optional.of(ISSUE)), decision);
        Optional<AlertRecord> closed = after(open, resolved(T1, T2), new Effect.Closed(ISSUE));
        assertEquals(AlertStatus.RESOLVED, closed.get().status());
        assertEquals(ISSUE, closed.get().issue());
        assertInstanceOf(Decision.Nothing.class, AlertRules.decide(closed, resolved(T1, T2), true), "a re-sent resolve");
    }

    @Test
    void aResolveBeforeItsFiringIsRecordedAndTheLateFiringChangesNothing() {
        assertInstanceOf(Decision.RecordOnly.class, AlertRules.decide(Optional.empty(), resolved(T1, T2), false));
        // in GitHub mode an issue an earlier, killed attempt opened is looked for by its marker
        assertEquals(new Decision.Close(Optional.empty()), AlertRules.decide(Optional.empty(), resolved(T1, T2), true));
        Optional<AlertRecord> resolvedFirst = after(Optional.empty(), resolved(T1, T2), new Effect.None());
        assertInstanceOf(Decision.Nothing.class, AlertRules.decide(resolvedFirst, firing(T1), true));
        assertInstanceOf(Decision.Nothing.class, AlertRules.decide(resolvedFirst, firing(T1), false));
    }

    @Test
    void aNewFiringAfterTheResolveIsANewEpisode() {
        Optional<AlertRecord> open = after(Optional.empty(), firing(T1), new Effect.Tracked(ISSUE));
        Optional<AlertRecord> closed = after(open, resolved(T1, T2), new Effect.Closed(ISSUE));
        assertInstanceOf(Decision.Open.class, AlertRules.decide(closed, firing(T3), true));
        Optional<AlertRecord> again = after(closed, firing(T3), new Effect.None());
        assertEquals(null, again.get().issue(), "the closed issue does not track the new episode");
        assertEquals(3, again.get().history().size());
        assertEquals(3, again.get().revision());
    }

    @Test
    void aResolveOfAnOlderEpisodeThanTheOneFiringChangesNothing() {
        Optional<AlertRecord> open = after(Optional.empty(), firing(T2), new Effect.Tracked(ISSUE));
        assertInstanceOf(Decision.Nothing.class, AlertRules.decide(open, resolved(T1, T2), true));
    }

    @Test
    void aSummarisedAlertAsksForItsOwnIssueAtAReSend() {
        Optional<AlertRecord> summarised = after(Optional.empty(), firing(T1),
                new Effect.Summarised("2026-12-06T10"));
        assertEquals("2026-12-06T10", summarised.get().summarisedIn());
        assertInstanceOf(Decision.Open.class, AlertRules.decide(summarised, firing(T1), true));
        Optional<AlertRecord> tracked = after(summarised, firing(T1), new Effect.Tracked(ISSUE));
        assertEquals(null, tracked.get().summarisedIn());
        assertInstanceOf(Decision.Nothing.class, AlertRules.decide(tracked, firing(T1), true));
    }

    @Test
    void historyIsBounded() {
        Optional<AlertRecord> record = Optional.empty();
        for (int i = 0; i < AlertRecord.HISTORY + 10; i++) {
            Instant start = T1.plusSeconds(i * 60L);
            record = after(record, firing(start), new Effect.None());
        }
        assertEquals(AlertRecord.HISTORY, record.get().history().size());
    }
}
