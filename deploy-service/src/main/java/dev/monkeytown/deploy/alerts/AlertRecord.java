package dev.monkeytown.deploy.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the receiver knows of one alert, kept at {@code alerts/<fingerprint>.json} on deploy-service's state branch: its
 * labels and annotations as last sent, its current episode ({@code status}, {@code startsAt}, {@code endsAt}), the
 * issue tracking that episode (GitHub mode; {@code summarisedIn} names the hour's summary issue when the hourly cap
 * kept it from having its own) and the history of what happened to it, newest last.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRecord(String fingerprint, String alertname, Map<String, String> labels,
        Map<String, String> annotations, String generatorUrl, AlertStatus status, Instant startsAt, Instant endsAt,
        IssueRef issue, String summarisedIn, Instant updatedAt, List<Transition> history, long revision) {

    /** History kept per alert: enough to see a flapping alert, bounded so one never grows without end. */
    static final int HISTORY = 50;

    /** One step in an alert's life; {@code issue} is the issue it opened or closed, if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Transition(String what, AlertStatus status, Instant startsAt, Instant endsAt, Instant at,
            Integer issue) {
    }

    /** What the GitHub side did for this step, if anything. */
    public sealed interface Effect {
        /** Nothing outside the state branch (local mode, or nothing to close). */
        record None() implements Effect {
        }

        /** An issue now tracks the episode: just created, or found by its marker (created before a lost answer). */
        record Tracked(IssueRef issue) implements Effect {
        }

        /** Over the hourly cap: listed in that hour's summary issue instead. */
        record Summarised(String window) implements Effect {
        }

        /** The episode's issue was commented on and closed. */
        record Closed(IssueRef issue) implements Effect {
        }
    }

    public static String path(String fingerprint) {
        return "alerts/" + fingerprint + ".json";
    }

    public boolean firing() {
        return status == AlertStatus.FIRING;
    }

    /**
     * The record after {@code event} was handled with {@code effect}: a function of the record on the branch, so it can
     * be re-applied to a newer one.
     */
    static AlertRecord next(Optional<AlertRecord> current, AlertEvent event, Effect effect, Instant now) {
        List<Transition> history = new ArrayList<>(current.map(AlertRecord::history).orElse(List.of()));
        boolean newEpisode = current.isEmpty() || !current.get().startsAt().equals(event.startsAt());
        IssueRef issue = newEpisode ? null : current.get().issue();
        String summarised = newEpisode ? null : current.get().summarisedIn();
        String what;
        Integer issueNumber = null;
        if (effect instanceof Effect.Tracked tracked) {
            issue = tracked.issue();
            summarised = null;
            issueNumber = issue.number();
            what = "issue opened";
        } else if (effect instanceof Effect.Summarised s) {
            summarised = s.window();
            what = "summarised in the issue of " + s.window();
        } else if (effect instanceof Effect.Closed closed) {
            issue = closed.issue();
            issueNumber = issue.number();
            what = "issue closed";
        } else {
            what = event.status() == AlertStatus.FIRING ? "fired" : "resolved";
        }
        history.add(new Transition(what, event.status(), event.startsAt(), event.endsAt().orElse(null), now,
                issueNumber));
        if (history.size() > HISTORY) {
            history = new ArrayList<>(history.subList(history.size() - HISTORY, history.size()));
        }
        return new AlertRecord(event.fingerprint(), event.name(), event.labels(), event.annotations(),
                event.generatorUrl(), event.status(), event.startsAt(), event.endsAt().orElse(null), issue, summarised,
                now, List.copyOf(history), current.map(r -> r.revision() + 1).orElse(1L));
    }
}
