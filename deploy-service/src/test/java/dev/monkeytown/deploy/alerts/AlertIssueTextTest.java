package dev.monkeytown.deploy.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** What an alert's own text can and cannot do to the issue it ends up in. */
class AlertIssueTextTest {

    private static AlertEvent alert(String fingerprint, String description) {
        return new AlertEvent(fingerprint, AlertStatus.FIRING, Map.of("alertname", "Odd", "severity", "warning"),
                Map.of("summary", "odd", "description", description), Instant.parse("2026-12-06T22:00:00Z"),
                Optional.empty(), "");
    }

    /** Issues are found by their marker: an alert quoting another's must not make its issue that alert's. */
    @Test
    void anAlertQuotingAnotherAlertsMarkerCannotCarryIt() {
        String other = AlertIssueText.marker("bbbbbbbbbbbbbbbb");
        String body = AlertIssueText.body(alert("aaaaaaaaaaaaaaaa", "see " + other));

        assertTrue(body.startsWith(AlertIssueText.marker("aaaaaaaaaaaaaaaa")), body);
        assertFalse(body.contains(other), body);
        assertEquals(1, body.split("<!--", -1).length - 1, "only its own marker opens a comment: " + body);
    }

    /** GitHub refuses a body over 65,536 characters with 422, which no re-send would cure. */
    @Test
    void aHugeDescriptionStillMakesABodyGitHubTakes() {
        String body = AlertIssueText.body(alert("aaaaaaaaaaaaaaaa", "x".repeat(200_000)));
        assertTrue(body.length() < 65_536, "body of " + body.length() + " characters");
    }

    @Test
    void aSlotGivenBackIsThereForTheNextAlert() {
        IssueBudget budget = new IssueBudget(1);
        Instant now = Instant.parse("2026-12-06T22:00:00Z");
        assertTrue(budget.tryTake(now));
        assertFalse(budget.tryTake(now.plusSeconds(1)));
        budget.giveBack(now);
        assertTrue(budget.tryTake(now.plusSeconds(2)), "the refused issue's slot was not spent");
    }
}
