package dev.monkeytown.deploy.alerts;

import java.util.Optional;

/**
 * What one alert of a notification calls for, given what the state branch holds of it. Pure, so every case is a plain
 * unit test. An episode is told by {@code startsAt}: Alertmanager re-sends an alert with the same {@code startsAt}
 * until it resolves (every {@code repeat_interval}, after a restart, when its group changes), and a new firing of the
 * same alert starts a new one.
 * <ul>
 * <li>A re-sent firing alert changes nothing (no commit, no GitHub call).</li>
 * <li>A firing alert whose episode is already resolved is the late copy of that episode (a resolve overtook it): it
 * changes nothing. Only a firing that starts after the resolved one is a new episode.</li>
 * <li>A resolve with nothing recorded is recorded, so the late firing of the same episode is recognised (in GitHub mode
 * after closing an issue found by its marker, if an attempt killed before recording had opened one).</li>
 * <li>A resolve of an older episode than the one firing is stale and changes nothing.</li>
 * </ul>
 */
public final class AlertRules {

    /** The decision for one alert. */
    public sealed interface Decision {
        /** A new episode (or one still waiting for its issue after the hourly cap): track it. */
        record Open() implements Decision {
        }

        /** The firing episode resolved: close its issue, if it has one, and record it. */
        record Close(Optional<IssueRef> issue) implements Decision {
        }

        /** Record it; nothing to do outside the state branch. */
        record RecordOnly() implements Decision {
        }

        /** Already known: nothing changes. */
        record Nothing(String why) implements Decision {
        }
    }

    private AlertRules() {
    }

    /** @param tracksIssues whether issues are kept outside the state branch (GitHub mode) */
    public static Decision decide(Optional<AlertRecord> current, AlertEvent event, boolean tracksIssues) {
        if (event.status() == AlertStatus.FIRING) {
            return firing(current, event, tracksIssues);
        }
        if (current.isEmpty()) {
            // in GitHub mode its issue may exist unrecorded (opened by an attempt killed before recording): look for it
            return tracksIssues ? new Decision.Close(Optional.empty()) : new Decision.RecordOnly();
        }
        AlertRecord record = current.get();
        if (!record.firing()) {
            return new Decision.Nothing("already resolved");
        }
        if (event.startsAt().isBefore(record.startsAt())) {
            return new Decision.Nothing("resolves an older episode than the one firing");
        }
        return new Decision.Close(Optional.ofNullable(record.issue()));
    }

    private static Decision firing(Optional<AlertRecord> current, AlertEvent event, boolean tracksIssues) {
        Decision track = tracksIssues ? new Decision.Open() : new Decision.RecordOnly();
        if (current.isEmpty()) {
            return track;
        }
        AlertRecord record = current.get();
        if (!record.firing()) {
            return event.startsAt().isAfter(record.startsAt())
                    ? track
                    : new Decision.Nothing("a late copy of an episode already resolved");
        }
        if (tracksIssues && record.issue() == null && !event.startsAt().isBefore(record.startsAt())) {
            return new Decision.Open(); // summarised under the cap earlier, or recorded locally before GitHub mode
        }
        return new Decision.Nothing("already firing");
    }
}
