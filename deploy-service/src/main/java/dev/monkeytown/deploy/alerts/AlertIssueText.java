package dev.monkeytown.deploy.alerts;

import java.util.TreeMap;

/**
 * What the alert issues say. The hidden marker is an issue's identity: the receiver finds an issue by it, never by a
 * number it may have failed to record.
 */
final class AlertIssueText {

    /** GitHub refuses longer titles. */
    private static final int TITLE = 256;
    /** Characters of one annotation in a body: three of them, the labels and the rest stay under GitHub's 65,536. */
    static final int TEXT = 16_000;

    private AlertIssueText() {
    }

    static String marker(String fingerprint) {
        return "<!-- monkeytown-alert: " + fingerprint + " -->";
    }

    static String summaryMarker(String window) {
        return "<!-- monkeytown-alert-summary: " + window + " -->";
    }

    static String title(AlertEvent alert) {
        String severity = alert.labels().getOrDefault("severity", "alert");
        String summary = alert.annotations().getOrDefault("summary", "");
        String title = "[" + severity + "] " + alert.name() + (summary.isBlank() ? "" : ": " + summary);
        return title.length() > TITLE ? title.substring(0, TITLE - 1) + "…" : title;
    }

    static String body(AlertEvent alert) {
        StringBuilder body = new StringBuilder(marker(alert.fingerprint())).append("\n\n");
        String summary = alert.annotations().get("summary");
        if (summary != null) {
            body.append("**").append(text(summary)).append("**\n\n");
        }
        String description = alert.annotations().get("description");
        if (description != null) {
            body.append(text(description)).append("\n\n");
        }
        String runbook = alert.annotations().get("runbook");
        if (runbook != null) {
            body.append("Runbook: ").append(text(runbook)).append("\n\n");
        }
        body.append("Firing since ").append(alert.startsAt()).append(".");
        if (!alert.generatorUrl().isBlank()) {
            body.append(" [Source](").append(alert.generatorUrl()).append(")");
        }
        body.append("\n\n| label | value |\n|---|---|\n");
        new TreeMap<>(alert.labels()).forEach((name, value) -> body.append("| ").append(cell(name)).append(" | ")
                .append(cell(value)).append(" |\n"));
        body.append("\nOpened by deploy-service's alert receiver; it is closed with a comment when the alert resolves.")
                .append(" Fingerprint `").append(alert.fingerprint()).append("`.\n");
        return body.toString();
    }

    static String resolved(AlertEvent alert) {
        return "Resolved at " + alert.endsAt().map(Object::toString).orElse("an unknown time") + " (firing since "
                + alert.startsAt() + ").";
    }

    static String summaryTitle(String window) {
        return "[alert storm] more alerts than the hourly cap in " + window + " UTC";
    }

    static String summaryBody(String window, int perHour, AlertEvent first) {
        return summaryMarker(window) + "\n\nMore than " + perHour + " alert issues were needed within an hour. So"
                + " that an alert storm cannot spend the GitHub budget the state store needs, further alerts of the"
                + " hour " + window + " UTC get no issue of their own: they are recorded on deploy-service's state"
                + " branch (`alert-summaries/" + window + ".json`, `GET /api/v1/alerts`) and shown by Alertmanager. An"
                + " alert still firing gets its own issue at a later re-send once the cap allows.\n\nFirst summarised: "
                + first.name() + " (`" + first.fingerprint() + "`).\n";
    }

    /**
     * Text copied from an alert into an issue: no HTML comment opener (so it cannot carry another alert's marker), and
     * at most {@link #TEXT} characters (GitHub refuses a body over 65,536 with 422, which no re-send would cure).
     */
    static String text(String text) {
        String safe = text.replace("<!--", "&lt;!--");
        return safe.length() > TEXT ? safe.substring(0, TEXT - 1) + "…" : safe;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
