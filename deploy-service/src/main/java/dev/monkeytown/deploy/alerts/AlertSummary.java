package dev.monkeytown.deploy.alerts;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One hour's summary, at {@code alert-summaries/<window>.json}: the alerts that got no issue of their own because the
 * hourly cap was reached, and the one issue that lists them (GitHub mode).
 *
 * @param window the UTC hour, {@code 2026-12-06T22}
 * @param count every alert summarised in the hour, even past the ones listed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertSummary(String window, IssueRef issue, List<String> alerts, int count, long revision) {

    /** Alerts named in the record; beyond it they are only counted. */
    static final int LISTED = 200;

    public static String path(String window) {
        return "alert-summaries/" + window + ".json";
    }

    AlertSummary with(AlertEvent event, IssueRef summaryIssue) {
        List<String> listed = new ArrayList<>(alerts);
        String entry = event.name() + " " + event.fingerprint();
        if (!listed.contains(entry) && listed.size() < LISTED) {
            listed.add(entry);
        }
        return new AlertSummary(window, issue != null ? issue : summaryIssue, List.copyOf(listed), count + 1,
                revision + 1);
    }

    static AlertSummary empty(String window) {
        return new AlertSummary(window, null, List.of(), 0, 0);
    }
}
